// Scripts SimpleWebRTC's signal-master event sequence with socket.io-client 1.7.4 (what simplewebrtc depends on)
// against a server, and prints the transcript: one JSON line per step with what each client observed, socket ids
// normalised to A, B, C (in connection order), the UUID of a nameless create to <uuid>, TURN credentials checked
// against the shared secret and replaced by <valid>/<invalid>. The same script runs against sigbridge and against
// the real signal-master (web-socketio/reference), and the two transcripts are compared (SignalmasterTest).
// usage: node signalmaster.js <baseUrl> <transports: polling|websocket|upgrade> <turn secret>
const crypto = require('crypto');
const io = require('socket.io-client-1');
const [base, mode, secret] = process.argv.slice(2);
const transports = mode === 'polling' ? ['polling'] : mode === 'websocket' ? ['websocket'] : ['polling', 'websocket'];
const fail = (why) => { process.stdout.write(JSON.stringify({ fail: String(why && why.stack || why) }) + '\n'); process.exit(2); };
setTimeout(() => fail('timeout'), 20000);

const names = {};
const normal = (v) => JSON.parse(JSON.stringify(v === undefined ? null : v, (k, x) => {
  if (typeof x === 'string' && names[x]) return names[x];
  if (typeof x === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(x)) return '<uuid>';
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    const out = {};
    for (const key of Object.keys(x)) out[names[key] || key] = x[key];
    return out;
  }
  return x;
}));
const out = (o) => process.stdout.write(JSON.stringify(normal(o)) + '\n');

// each client records every event it gets, in order; a step takes what arrived since the last step
function client(label) {
  const s = io(base, { transports, forceNew: true, reconnection: false });
  const heard = [];
  const waiters = [];
  const onevent = s.onevent;
  s.onevent = function (packet) {
    heard.push(packet.data);
    while (waiters.length && waiters[0].count <= heard.length) waiters.shift().resolve();
    onevent.call(this, packet);
  };
  const c = {
    s, label, heard,
    // resolves once `count` events in all have arrived
    upTo: (count) => new Promise((resolve) => { if (heard.length >= count) resolve(); else waiters.push({ count, resolve }); }),
    taken: 0,
    // the events that arrived since the last take, after waiting for `n` of them
    take: async (n) => { await c.upTo(c.taken + n); const got = heard.slice(c.taken, c.taken + n); c.taken += n; return got; },
    call: (...args) => new Promise((resolve) => s.emit(...args, (...answer) => resolve(answer))),
  };
  return new Promise((resolve, reject) => {
    s.on('connect', () => { names[s.io.engine.id] = label; resolve(c); });
    s.on('connect_error', reject);
  });
}

function checkTurn(events) {
  return events.map(([name, arg]) => {
    if (name !== 'turnservers') return [name, arg];
    return [name, arg.map((t) => {
      const hmac = crypto.createHmac('sha1', secret).update(t.username).digest('base64');
      const expiry = Number(t.username) - Math.floor(Date.now() / 1000);
      return { username: expiry > 86300 && expiry <= 86400 ? '<now+86400>' : t.username, credential: hmac === t.credential ? '<valid>' : '<invalid>', urls: t.urls };
    })];
  });
}

(async () => {
  const a = await client('A');
  out({ step: 'A connects', A: checkTurn(await a.take(2)) });
  out({ step: 'A joins room1', ack: await a.call('join', 'room1') });
  const b = await client('B');
  out({ step: 'B connects', B: checkTurn(await b.take(2)) });
  out({ step: 'B joins room1', ack: await b.call('join', 'room1') });

  const offer = { to: a.s.io.engine.id, sid: '1', broadcaster: undefined, roomType: 'video', type: 'offer', payload: { type: 'offer', sdp: 'v=0\r\n' }, prefix: 'webkit' };
  b.s.emit('message', offer);
  out({ step: 'B offers to A', A: await a.take(1) });
  a.s.emit('message', { to: b.s.io.engine.id, sid: '1', roomType: 'video', type: 'answer', payload: { type: 'answer', sdp: 'v=0\r\n' }, prefix: 'webkit' });
  out({ step: 'A answers B', B: await b.take(1) });
  a.s.emit('message', { to: b.s.io.engine.id, sid: '1', roomType: 'video', type: 'candidate', payload: { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } } });
  out({ step: 'A sends a candidate', B: await b.take(1) });
  a.s.emit('message', { to: 'room1', type: 'mute', payload: { name: 'audio' } });
  out({ step: 'A mutes to the room', A: await a.take(1), B: await b.take(1) });

  b.s.emit('shareScreen');
  // shareScreen has no ack: a message B sends after it, once A has it, shows B's shareScreen was handled (a server
  // handles one socket's packets in order) before C's join, which comes over another socket; not in the transcript
  b.s.emit('message', { to: a.s.io.engine.id, sid: '1', roomType: 'video', type: 'after-share', payload: {} });
  await a.take(1);
  const c = await client('C');
  out({ step: 'C connects', C: checkTurn(await c.take(2)) });
  out({ step: 'C joins room1 while B shares its screen', ack: await c.call('join', 'room1') });
  b.s.emit('unshareScreen');
  out({ step: 'B unshares its screen', A: await a.take(1), B: await b.take(1), C: await c.take(1) });
  c.s.emit('leave');
  out({ step: 'C leaves', A: await a.take(1), B: await b.take(1), C: await c.take(1) });
  out({ step: 'C creates room2', ack: await c.call('create', 'room2') });
  out({ step: 'C creates a nameless room', ack: await c.call('create', null), C: await c.take(1) });
  b.s.close();
  out({ step: 'B disconnects', A: await a.take(1) });
  out({ step: 'A rejoins room1', ack: await a.call('join', 'room1'), A: await a.take(1) });
  const d = await client('D');
  await d.take(2);
  // signal-master 1.0.1 on its socket.io 1.3.7 never answers "taken" (it reads room.length, which 1.3.7's rooms lack)
  out({ step: 'D creates room1, where A is (differs)', ack: await d.call('create', 'room1') });
  await new Promise((r) => setTimeout(r, 300)); // the quiet period: nothing else may have arrived
  out({ step: 'nothing else', A: a.heard.slice(a.taken), C: c.heard.slice(c.taken), D: d.heard.slice(d.taken) });
  [a, c, d].forEach((x) => x.s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
