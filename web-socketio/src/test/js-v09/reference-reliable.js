// The real Reliable-Signaler server logic (reliable-signaler 1.0.2's reliable-signaler.js, unmodified, from npm) on the
// real socket.io 0.9.19, for the differential check: node reference-reliable.js <port>
require('reliable-signaler/reliable-signaler.js').ReliableSignaler(Number(process.argv[2]));
console.log('listening');
