'use strict';
// Baseline for the socket.io 4 benchmark (docs/benchmarks.md): what a user runs instead of sigbridge for the
// Signaling.md `message` relay, on the npm socket.io 4.8.4 server with its defaults (Engine.IO 4, polling and
// WebSocket, pingInterval 25 s, no per-message deflate). It does the work sigbridge's relay family does
// (docs/socketio.md, docs/dialects.md §6.1): a socket joins the room its handshake query names (`channel`), or
// hears its whole namespace when it names none; each `message` event goes to the other sockets of that room, the
// sender excluded, with the same value; an emit that asks for an ack gets `null`. Other events are ignored.
//
// Usage: node server.js [--port N] [--host 127.0.0.1]. Prints "socketio-server ready on HOST:PORT" when listening.
const http = require('http');
const { Server } = require('socket.io');

const args = process.argv.slice(2);
function arg(name, fallback) {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '12036'));

const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false });

function relay(socket) {
  const channel = socket.handshake.query.channel;
  if (typeof channel === 'string' && channel !== '') {
    socket.join(channel);
  }
  const to = typeof channel === 'string' && channel !== '' ? () => socket.to(channel) : () => socket.broadcast;
  socket.on('message', (value, ack) => {
    to().emit('message', value);
    if (typeof ack === 'function') {
      ack(null);
    }
  });
}
io.on('connection', relay);
io.of(/^\/.+$/).on('connection', relay);

httpServer.listen(port, host, () => console.log('socketio-server ready on ' + host + ':' + port));
