// Runs the real socket.io 4.8.4 server (the one rtcmulticonnection-server depends on) with connectionStateRecovery on a
// loopback port, with the broadcast `message` relay of docs/socketio.md written on it: a socket joins the room its
// `channel` query names, a `message` goes to every other socket of that room, acked with null. Prints
// {"listening": port} once it accepts connections. ConnectionStateRecoveryTest runs npm/recovery.js against it.
// usage: node recovery-server.js <port> <maxDisconnectionDuration in ms>
const http = require('http');
const path = require('path');
const rmcServer = path.dirname(require.resolve('rtcmulticonnection-server/package.json'));
const { Server } = require(require.resolve('socket.io', { paths: [rmcServer] }));
const [port, window] = process.argv.slice(2);
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
new Server(server, { connectionStateRecovery: { maxDisconnectionDuration: Number(window) } }).on('connection', (socket) => {
  const channel = String(socket.handshake.query.channel);
  if (!socket.recovered) socket.join(channel); // a recovered socket is back in its rooms
  socket.on('message', (value, ack) => {
    socket.to(channel).emit('message', value);
    if (typeof ack === 'function') ack(null);
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(JSON.stringify({ listening: Number(port) }) + '\n'));
