// The presence grace for the socket.io 4 `message` relay with connection state recovery (docs/cluster.md §4), with the
// real socket.io-client 4.8: r and gone reach instance a through a balancer on channel CHANNEL, s sends on it from
// instance b, and r gets one message (its offset then names a position of the channel's log). The test stops a and writes
// "reconnect" once that is done; r's client reconnects then (its own reconnection is off, so that it comes back after the
// stop, whatever the machine's speed) through the balancer, lands on b and recovers there with its socket id; gone's
// never does. The test watches the channel's presence from other instances. Prints one JSON line per observation;
// reads "go", "reconnect" and "stopped" lines on stdin. With tokens (identity.mode: verified) r, gone and s present
// theirs in the handshake (auth: {token}); the relay then makes each the participant of its token's sender.
// r and gone use the WebSocket transport, or with "polling" long-polling only (HTTP requests through the balancer).
// usage: node relay-cluster-handover.js <balancerUrl> <bUrl> <channel> <websocket|polling> [<rToken> <goneToken> <sToken>]
const [front, bUrl, channel, transport, rToken, goneToken, sToken] = process.argv.slice(2);
const { io } = require('socket.io-client');
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(45000, () => state());

const open = (url, token, via = 'websocket') => io(url, { transports: [via], upgrade: false, query: { channel }, forceNew: true,
  reconnection: false, ...(token ? { auth: { token } } : {}) });
const connected = (s) => new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const r = await connected(open(front, rToken, transport));
  const gone = await connected(open(front, goneToken, transport));
  const s = await connected(open(bUrl, sToken));
  const got = [];
  const connects = [];
  r.on('message', (m) => got.push(m.n));
  r.on('disconnect', (reason) => out({ rDisconnected: reason }));
  r.on('connect', () => connects.push(r.recovered));
  state = () => ({ connects, got, r: r.connected });
  const firstId = r.id;
  out({ connected: true, id: r.id, goneId: gone.id, pid: typeof r._pid === 'string' && r._pid.length > 0,
    via: r.io.engine.transport.name });
  await line('go');
  s.emit('message', { sender: 's', n: 0 });
  while (got.length < 1) { await sleep(10); }
  out({ got: true });
  await line('reconnect');
  let errors = 0;
  r.on('connect_error', () => { errors++; });
  for (let i = 0; i < 50 && connects.length < 1; i++) { // the balancer may still try the stopped instance once
    const before = errors;
    r.connect();
    const end = Date.now() + 3000;
    while (connects.length < 1 && errors === before && Date.now() < end) { await sleep(10); }
    if (connects.length < 1) { await sleep(200); }
  }
  out({ connectErrors: errors });
  out({ via: r.io.engine && r.io.engine.transport ? r.io.engine.transport.name : null });
  out({ recovered: r.recovered, sameId: r.id === firstId });
  await line('stopped');
  out({ connects });
  [r, gone, s].forEach((x) => x.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
