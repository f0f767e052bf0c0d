// Runs the real signal-master 1.0.1 (its sockets.js, on the socket.io 1.3.7 it pins) on a loopback port with the
// STUN/TURN config of the differential test, and prints {"listening": port} once it accepts connections.
// usage: node server.js <port> <stun url> <turn url> <turn secret>
const http = require('http');
const sockets = require('signal-master/sockets');
const [port, stun, turn, secret] = process.argv.slice(2);
const server = http.Server((req, res) => { res.writeHead(404); res.end(); });
sockets(server, { rooms: { maxClients: 0 }, stunservers: [{ urls: stun }], turnservers: [{ urls: [turn], secret, expiry: 86400 }] });
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(JSON.stringify({ listening: Number(port) }) + '\n'));
