// Runs the reference PeerJS server, the npm `peer` 1.0.2 PeerServer, on a loopback port with path "/" and key
// "peerjs" (the defaults sigbridge copies, docs/peerjs.md) for PeerJsDifferentialTest, and prints
// {"listening": port} once it accepts connections.
// usage: node peer-server.js <port> <expire-timeout ms>
const { PeerServer } = require('peer');
const [port, expire] = process.argv.slice(2).map(Number);
PeerServer({ port, host: '127.0.0.1', path: '/', key: 'peerjs', expire_timeout: expire, cleanup_out_msgs: 100 },
  () => process.stdout.write(JSON.stringify({ listening: port }) + '\n'));
