'use strict';
// Baseline for the PeerJS relay benchmark: the reference PeerJS server (npm `peer` 1.0.2, its PeerServer with
// path "/" and key "peerjs", the defaults sigbridge serves; docs/peerjs.md), unchanged, with the concurrent limit
// raised so the idle-peer memory points fit.
//
// Usage: node server.js [--port N] [--host 127.0.0.1]. Prints "peer-server ready on HOST:PORT" when listening.
const { PeerServer } = require('peer');

const args = process.argv.slice(2);
function arg(name, fallback) {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '12035'));
PeerServer({ host, port, path: '/', key: 'peerjs', concurrent_limit: 100000 },
  () => console.log('peer-server ready on ' + host + ':' + port));
