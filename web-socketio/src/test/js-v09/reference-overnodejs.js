// A replica of socketio-over-nodejs's server logic (written from docs/socketio-09.md) on the real socket.io 0.9.19,
// for the differential check: node reference-overnodejs.js <port>
var io = require('socket.io').listen(Number(process.argv[2]), { log: false });
var channels = {};
io.sockets.on('connection', function (socket) {
  var initiatorChannel = '';
  socket.on('new-channel', function (data) {
    if (!channels[data.channel]) {
      initiatorChannel = data.channel;
    }
    channels[data.channel] = data.channel;
    onNewNamespace(data.channel, data.sender);
  });
  socket.on('presence', function (channel) {
    socket.emit('presence', !!channels[channel]);
  });
  socket.on('disconnect', function () {
    if (initiatorChannel) {
      delete channels[initiatorChannel];
    }
  });
});
function onNewNamespace(channel, sender) {
  io.of('/' + channel).on('connection', function (socket) {
    var username;
    socket.on('message', function (data) {
      if (data.sender == sender) {
        if (!username) username = data.data.sender;
        socket.broadcast.emit('message', data.data);
      }
    });
    socket.on('disconnect', function () {
      if (username) {
        socket.broadcast.emit('user-left', username);
        username = null;
      }
    });
  });
}
console.log('listening');
