// Drives the real socket.io-client against a sigbridge web port; prints one JSON line per observation.
// usage: node scenario.js <baseUrl> <scenario> <transports: polling|websocket|upgrade> [client: 4|2|1, default 4]
// Clients 1 and 2 are socket.io-client 1.7.4 and 2.5.x (npm aliases), which speak Engine.IO 3.
const [base, scenario, mode, client = '4'] = process.argv.slice(2);
const libraries = { 4: () => require('socket.io-client').io, 2: () => require('socket.io-client-2'), 1: () => require('socket.io-client-1') };
const io = libraries[client]();
const io4 = require('socket.io-client').io;
const transports = mode === 'polling' ? ['polling'] : mode === 'websocket' ? ['websocket'] : ['polling', 'websocket'];
const upgrade = mode === 'upgrade';
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why) }); process.exit(2); };
setTimeout(() => fail('timeout in ' + scenario), 15000);

function open(query) {
  return io(base, { transports, upgrade, query, reconnection: scenario === 'reconnect', forceNew: true,
                    reconnectionDelay: 100, reconnectionDelayMax: 200 });
}
// an emit with an ack callback, which every client version has (emitWithAck is 4.x only)
function call(s, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ack for ' + args[0])), 5000);
    s.emit(...args, (...answer) => { clearTimeout(timer); resolve(answer); });
  });
}
function connected(s) {
  return new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
}
function next(s, ev) { return new Promise((resolve) => s.once(ev, (...args) => resolve(args))); }

(async () => {
  if (scenario === 'relay') {
    const a = await connected(open({ channel: 'room1' }));
    const b = await connected(open({ channel: 'room1' }));
    const c = await connected(open({ channel: 'other' }));
    let cHeard = false; c.on('message', () => { cHeard = true; });
    let aHeardOwn = false; a.on('message', (v) => { if (v && v.sender === 'alice') aHeardOwn = true; });
    if (upgrade) { await Promise.all([a, b].map((s) => s.io.engine.transport.name === 'websocket' ? null : next(s.io.engine, 'upgrade'))); }
    const got = next(b, 'message');
    // a 4.x client in the same channel, when the others are older clients: the revisions interoperate
    const d = client === '4' ? null : await connected(io4(base, { transports, upgrade, query: { channel: 'room1' }, forceNew: true }));
    const dGot = d && next(d, 'message');
    const [acked] = await call(a, 'message', { sender: 'alice', channel: 'room1', message: { sdp: 'v=0', n: 1 } });
    const [value] = await got;
    out({ ack: acked, received: value, transport: b.io.engine.transport.name });
    const back = next(a, 'message');
    b.emit('message', { sender: 'bob', channel: 'room1', message: 'hi' });
    out({ back: (await back)[0], transportA: a.io.engine.transport.name });
    await new Promise((r) => setTimeout(r, 300)); // the quiet period: nothing more may arrive
    out({ cHeard, aHeardOwn });
    if (d) {
      const dHeard = (await dGot)[0];
      const fromD = next(a, 'message');
      const alsoB = next(b, 'message');
      d.emit('message', { sender: 'dave', channel: 'room1', message: 'from 4.x \u00e9\u2603\ud83d\ude00' });
      out({ dHeard, aFromD: (await fromD)[0], bFromD: (await alsoB)[0] });
      const unicodeD = next(d, 'message');
      const unicodeB = next(b, 'message');
      a.emit('message', { sender: 'alice', channel: 'room1', message: 'to 4.x \u00e9\u2603\ud83d\ude00' });
      out({ dUnicode: (await unicodeD)[0], bUnicode: (await unicodeB)[0] });
      d.close();
    }
    [a, b, c].forEach((s) => s.close());
  } else if (scenario === 'namespace') {
    const a = await connected(io(base + 'room9', { transports, upgrade, forceNew: true }));
    const b = await connected(io(base + 'room9', { transports, upgrade, forceNew: true }));
    const got = next(b, 'message');
    a.emit('message', { sender: 'x', channel: 'anything', message: 1 });
    out({ received: (await got)[0], id: typeof b.id });
    [a, b].forEach((s) => s.close());
  } else if (scenario === 'reconnect') {
    const a = await connected(open({ channel: 'rc' }));
    const b = await connected(open({ channel: 'rc' }));
    const firstId = a.id;
    a.io.engine.close(); // the transport drops; the manager reconnects
    await next(a, 'connect');
    out({ reconnected: a.connected, newId: a.id !== firstId });
    const got = next(b, 'message');
    a.emit('message', { sender: 'a', channel: 'rc', message: 'after' });
    out({ received: (await got)[0] });
    [a, b].forEach((s) => s.close());
  } else if (scenario === 'denied') {
    const s = open({ channel: 'denied-x' });
    const joinError = next(s, 'error');
    await connected(s);
    out({ joinError: (await joinError)[0] });
    const sendError = next(s, 'error');
    const acked = await s.timeout(5000).emitWithAck('message', { sender: 'd', channel: 'denied-x', message: 1 });
    out({ ack: acked, sendError: (await sendError)[0] });
    s.close();
  } else if (scenario === 'rmc') {
    const rmc = (userid, extra) => io(base, { transports, upgrade, forceNew: true, query: {
      userid, sessionid: 'r1', msgEvent: 'RTCMultiConnection-Message', socketCustomEvent: 'RTCMultiConnection-Custom-Message',
      autoCloseEntireSession: 'false', maxParticipantsAllowed: '1000', extra: JSON.stringify(extra) } });
    const call = (s, ...args) => new Promise((resolve) => s.emit(...args, (...answer) => resolve(answer)));
    const a = await connected(rmc('alice', { name: 'A' }));
    out({ presenceBefore: await call(a, 'check-presence', 'r1') });
    out({ open: await call(a, 'open-room', { sessionid: 'r1', session: { audio: true }, extra: { name: 'A' }, identifier: '', password: '' }) });
    const b = await connected(rmc('bob', { name: 'B' }));
    out({ presenceAfter: await call(b, 'check-presence', 'r1') });
    out({ join: await call(b, 'join-room', { sessionid: 'r1', session: { audio: true }, password: '' }) });
    const request = next(a, 'RTCMultiConnection-Message');
    b.emit('RTCMultiConnection-Message', { remoteUserId: 'r1', message: { newParticipationRequest: true }, sender: 'bob' });
    out({ request: (await request)[0] });
    const aLinked = next(a, 'user-connected');
    const bLinked = next(b, 'user-connected');
    const offer = next(b, 'RTCMultiConnection-Message');
    a.emit('RTCMultiConnection-Message', { remoteUserId: 'bob', message: { sdp: 'v=0' }, sender: 'alice' });
    out({ aLinked: (await aLinked)[0], bLinked: (await bLinked)[0], offer: (await offer)[0] });
    const missing = next(a, 'user-not-found');
    a.emit('RTCMultiConnection-Message', { remoteUserId: 'carol', message: { sdp: 'v=0' }, sender: 'alice' });
    out({ missing: (await missing)[0] });
    const c = await connected(rmc('carol', {}));
    out({ taken: await new Promise((resolve) => { const d = rmc('bob', {}); d.on('userid-already-taken', (...x) => { resolve(x[0]); d.close(); }); }) });
    out({ reopen: await call(c, 'open-room', { sessionid: 'r1', session: {}, extra: {}, identifier: '', password: '' }) });
    const left = next(a, 'user-disconnected');
    b.close();
    out({ left: (await left)[0] });
    out({ carolJoins: await call(c, 'join-room', { sessionid: 'r1', session: {}, password: '' }) });
    const owner = next(c, 'set-isInitiator-true');
    a.close();
    out({ newOwnerOf: (await owner)[0] });
    out({ presenceWithCarol: await call(c, 'check-presence', 'r1') });
    c.close();
  } else if (scenario === 'rmc-more') {
    // what the differential script (rmc.js) cannot compare: a one-way session, close-entire-session, a rename to a taken id
    const rmc = (userid) => io(base, { transports, upgrade, forceNew: true, query: {
      userid, msgEvent: 'RTCMultiConnection-Message', autoCloseEntireSession: 'false', extra: JSON.stringify({ n: userid }) } });
    const call = (s, ...args) => new Promise((resolve) => s.emit(...args, (...answer) => resolve(answer)));
    const heard = (s) => { const all = []; s.onAny((...e) => all.push(e)); return all; };
    const a = await connected(rmc('ann'));
    const b = await connected(rmc('ben'));
    const c = await connected(rmc('cat'));
    const [aHeard, bHeard, cHeard] = [a, b, c].map(heard);
    out({ open: await call(a, 'open-room', { sessionid: 'w1', session: { audio: true, oneway: true }, extra: { n: 'ann' }, password: '' }) });
    out({ joins: [await call(b, 'join-room', { sessionid: 'w1', session: {}, password: '' }), await call(c, 'join-room', { sessionid: 'w1', session: {}, password: '' })] });
    const request = next(a, 'RTCMultiConnection-Message');
    c.emit('RTCMultiConnection-Message', { remoteUserId: 'w1', message: { newParticipationRequest: true }, sender: 'cat' });
    out({ request: (await request)[0] });
    await call(b, 'get-remote-user-extra-data', 'flush'); // b's events up to now have arrived
    out({ benHeard: bHeard.slice() });
    out({ rename: await call(c, 'changed-uuid', 'ann'), catHeard: cHeard.slice() });
    const closedB = next(b, 'closed-entire-session');
    const closedC = next(c, 'closed-entire-session');
    out({ close: await call(a, 'close-entire-session'), ben: await closedB, cat: await closedC });
    out({ presence: await call(b, 'check-presence', 'w1'), annHeard: aHeard.filter((e) => e[0] !== 'RTCMultiConnection-Message') });
    [a, b, c].forEach((s) => s.close());
  } else {
    fail('unknown scenario ' + scenario);
  }
  out({ done: true });
  process.exit(0);
})().catch(fail);
