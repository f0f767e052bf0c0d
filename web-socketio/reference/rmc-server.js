// Runs the real rtcmulticonnection-server 1.3.3 (its Signaling-Server.js, on the socket.io 4.8.4 it depends on) on a
// loopback port as its own server.js wires it, including server.js's broadcast of the query's socketCustomEvent, and
// prints {"listening": port} once it accepts connections. Logs of its caught errors go to stderr, not to a file.
// usage: node rmc-server.js <port>
const http = require('http');
const path = require('path');
const rmcServer = path.dirname(require.resolve('rtcmulticonnection-server/package.json'));
const { Server } = require(require.resolve('socket.io', { paths: [rmcServer] }));
const addSocket = require('rtcmulticonnection-server/node_scripts/Signaling-Server.js');
const [port] = process.argv.slice(2);
console.log = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
new Server(server).on('connection', (socket) => {
  addSocket(socket, { enableLogs: false, enableAdmin: false });
  const params = socket.handshake.query;
  if (!params.socketCustomEvent) params.socketCustomEvent = 'custom-message';
  socket.on(params.socketCustomEvent, (message) => socket.broadcast.emit(params.socketCustomEvent, message));
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(JSON.stringify({ listening: Number(port) }) + '\n'));
