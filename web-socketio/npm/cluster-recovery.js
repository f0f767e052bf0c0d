// socket.io 4.6+ connection state recovery across the instances of a cluster (docs/design.md §3.8, docs/cluster.md),
// with the real socket.io-client 4.8: r connects through a balancer that sends it to instance a; sa, sb, sc connect to
// a, b and c directly and send numbered messages on one channel. The test kills a (kill -9) mid-stream; r's client
// reconnects through the balancer, now to another instance, by itself, and must recover there. Prints one JSON line per
// observation; reads "go" and "killed" lines on stdin from the test.
// usage: node cluster-recovery.js <balancerUrl> <aUrl> <bUrl> <cUrl> <rounds> <channel>
const [front, aUrl, bUrl, cUrl, roundsText, channel] = process.argv.slice(2);
const rounds = Number(roundsText);
const { io } = require('socket.io-client');
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(45000, () => state());

const open = (url, options) => io(url, { transports: ['websocket'], upgrade: false, query: { channel }, forceNew: true, ...options });
const connected = (s) => new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });

(async () => {
  // r reconnects by itself, a fixed second after its transport broke, so that the channel carries messages meanwhile
  const r = await connected(open(front, { reconnectionDelay: 1000, reconnectionDelayMax: 1000, randomizationFactor: 0 }));
  const sa = await connected(open(aUrl, { reconnection: false }));
  const sb = await connected(open(bUrl, { reconnection: false }));
  const sc = await connected(open(cUrl, { reconnection: false }));
  const got = { r: {}, sb: {}, sc: {} };
  const markers = { r: new Set(), sb: new Set(), sc: new Set() };
  const record = (name) => (value) => {
    if (value.marker) { markers[name].add(value.sender); return; }
    (got[name][value.sender] = got[name][value.sender] || []).push(value.n);
  };
  r.on('message', record('r'));
  sb.on('message', record('sb'));
  sc.on('message', record('sc'));
  let away = null;
  state = () => ({ got, markers: Object.fromEntries(Object.entries(markers).map(([k, v]) => [k, [...v]])), away, connects, r: r.connected, sa: sa.connected, sb: sb.connected, sc: sc.connected });
  const connects = [];
  let missedWhileAway = 0;
  r.on('disconnect', (reason) => { away = reason; out({ rDisconnected: reason }); });
  r.on('connect', () => { connects.push(r.recovered); away = null; out({ rConnected: true, recovered: r.recovered }); });
  out({ connected: true, pid: typeof r._pid === 'string' });
  await line('go');

  const send = (s, sender, n) => s.timeout(3000).emitWithAck('message', { sender, n }).then(() => true, () => false);
  for (let i = 0; i < rounds; i++) {
    if (sa.connected) { sa.emit('message', { sender: 'sa', n: i }); } // a dies: sa's are not awaited
    const sent = await Promise.all([send(sb, 'sb', i), send(sc, 'sc', i)]);
    if (!sent[0] || !sent[1]) { fail('sb or sc could not send ' + i); }
    if (away !== null) { missedWhileAway++; }
    if (i === 0) {
      if (!await send(r, 'r', 0)) { fail('r could not send'); } // its own: never to come back to it
      while (!(got.r.sb || []).length) { await new Promise((res) => setTimeout(res, 10)); } // r holds a position
    }
    if (i === Math.floor(rounds / 3)) {
      out({ kill: i });
      await line('killed');
    }
    await new Promise((res) => setTimeout(res, 5));
  }
  while (away !== null || connects.length < 1) { await new Promise((res) => setTimeout(res, 20)); }
  for (const [s, sender] of [[sb, 'sb'], [sc, 'sc']]) {
    await s.timeout(3000).emitWithAck('message', { sender, marker: true });
  }
  r.emit('message', { sender: 'r', marker: true });
  const until = Date.now() + 20000;
  while (!(markers.r.has('sb') && markers.r.has('sc') && markers.sb.has('r') && markers.sc.has('r'))) {
    if (Date.now() > until) { fail('markers not seen: ' + JSON.stringify({ r: [...markers.r], sb: [...markers.sb], sc: [...markers.sc] })); }
    await new Promise((res) => setTimeout(res, 20));
  }
  out({ connects, missedWhileAway, got });
  [r, sa, sb, sc].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
