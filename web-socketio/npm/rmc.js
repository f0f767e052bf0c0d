// Scripts RTCMultiConnection 3.7's server events with socket.io-client 4.8 (what its pages load) against a server and
// prints the transcript: one JSON line per step with the acks and what each client heard since the previous step.
// The same script runs against sigbridge and against the real rtcmulticonnection-server 1.3.3
// (web-socketio/reference/rmc-server.js), and RmcDifferentialTest compares the two; steps named "(differs)" are where
// docs/socketio.md says sigbridge differs. Normalised: a suggested userid (random digits) becomes <digits>, and the
// reference's `_room` that leaks into a user's stored extra (its check-presence mutates it) is removed from `extra`
// fields (the leak is shown once, in its own step).
// usage: node rmc.js <baseUrl> <transports: polling|websocket|upgrade>
const { io } = require('socket.io-client');
const { MSG: M, client: open, fail, limit } = require('./rmc-transcript-client');
const [base, mode] = process.argv.slice(2);
const transports = mode === 'polling' ? ['polling'] : mode === 'websocket' ? ['websocket'] : ['polling', 'websocket'];
limit(25000);

const normal = (v, key) => JSON.parse(JSON.stringify(v === undefined ? null : v, function (k, x) {
  if (typeof x === 'string' && /^[0-9]{6,}$/.test(x)) return '<digits>';
  if (k === 'extra' && x && typeof x === 'object' && !Array.isArray(x) && '_room' in x) {
    const copy = Object.assign({}, x);
    delete copy._room;
    return copy;
  }
  return x;
}));
const out = (o) => process.stdout.write(JSON.stringify(normal(o)) + '\n');

const client = (userid, extra) => open(base, userid, extra, transports);
const msg = (remoteUserId, message, sender) => ({ remoteUserId, message, sender });

(async () => {
  const a = await client('alice', { name: 'A' });
  out({ step: 'A checks r1 before anyone opened it', ack: await a.call('check-presence', 'r1') });
  out({ step: 'A opens r1, public as lobby', ack: await a.call('open-room', { sessionid: 'r1', session: { audio: true, video: true },
    mediaConstraints: {}, sdpConstraints: {}, streams: [], extra: { name: 'A' }, identifier: 'lobby', password: '' }) });
  const b = await client('bob', { name: 'B' });
  out({ step: 'B checks r1 (differs)', ack: await b.call('check-presence', 'r1') });
  out({ step: 'B joins r1', ack: await b.call('join-room', { sessionid: 'r1', session: { audio: true, video: true }, extra: { name: 'B' }, password: '' }) });
  b.s.emit(M, msg('r1', { newParticipationRequest: true, isOneWay: false, isDataOnly: true }, 'bob'));
  out({ step: 'B asks to take part (differs)', A: await a.take(1) });
  a.s.emit(M, msg('bob', { type: 'offer', sdp: 'v=0' }, 'alice'));
  out({ step: 'A offers to B', A: await a.take(1), B: await b.take(2) });
  b.s.emit(M, msg('alice', { type: 'answer', sdp: 'v=0' }, 'bob'));
  out({ step: 'B answers A', A: await a.take(1), B: await b.take(0) });
  out({ step: 'A asks for extra data', bob: await a.call('get-remote-user-extra-data', 'bob'), nobody: await a.call('get-remote-user-extra-data', 'nobody') });
  out({ step: 'B asks for the owner\'s extra data (differs)', alice: await b.call('get-remote-user-extra-data', 'alice') });
  b.s.emit('extra-data-updated', { name: 'B2' });
  out({ step: 'B updates its extra data', A: await a.take(2), B: await b.take(1) });
  out({ step: 'passwords', owner: await a.call('set-password', 'pw'), participant: await b.call('set-password', 'x') });
  const c = await client('carol', { name: 'C' });
  out({ step: 'C sets a password before joining', ack: await c.call('set-password', 'pw') });
  out({ step: 'C checks passwords', empty: await c.call('is-valid-password', '', 'r1'), noRoom: await c.call('is-valid-password', 'pw', ''),
    unknown: await c.call('is-valid-password', 'pw', 'r9'), wrong: await c.call('is-valid-password', 'nope', 'r1'),
    right: await c.call('is-valid-password', 'pw', 'r1') });
  out({ step: 'C joins r1', wrong: await c.call('join-room', { sessionid: 'r1', session: {}, extra: { name: 'C' }, password: 'nope' }),
    right: await c.call('join-room', { sessionid: 'r1', session: {}, extra: { name: 'C' }, password: 'pw' }) });
  out({ step: 'C lists public rooms', lobby: await c.call('get-public-rooms', 'lobby'), other: await c.call('get-public-rooms', 'other'),
    none: await c.call('get-public-rooms', '') });
  const taken = await new Promise((resolve) => {
    const d = io(base + '?userid=bob&msgEvent=' + M, { transports, forceNew: true, reconnection: false });
    d.on('userid-already-taken', (...x) => { resolve(x); d.close(); });
  });
  out({ step: 'another page connects as bob', taken });
  const d = await client('dave', { name: 'D' });
  out({ step: 'D opens r1, which is taken, and joins r9, which is not there', open: await d.call('open-room', { sessionid: 'r1', session: {}, extra: {}, password: '' }),
    join: await d.call('join-room', { sessionid: 'r9', session: {}, extra: {}, password: '' }) });
  out({ step: 'D renames itself', ack: await d.call('changed-uuid', 'dave2'), extra: await b.call('get-remote-user-extra-data', 'dave2'),
    old: await b.call('get-remote-user-extra-data', 'dave') });
  a.s.emit('RTCMultiConnection-Custom-Message', { hello: 1 });
  out({ step: 'A emits the custom event', A: await a.take(0), B: await b.take(1), C: await c.take(1), D: await d.take(1) });
  b.s.emit('set-custom-socket-event-listener', 'my-event');
  b.s.emit('my-event', { x: 1 });
  out({ step: 'B emits an event it asked to have broadcast', A: await a.take(1), B: await b.take(0), C: await c.take(1), D: await d.take(1) });
  out({ step: 'A detects presence the old way', bob: await a.call(M, msg('system', { detectPresence: true, userid: 'bob' }, 'alice')),
    self: await a.call(M, msg('system', { detectPresence: true, userid: 'alice' }, 'alice')) });
  out({ step: 'A disconnects from B', ack: await a.call('disconnect-with', 'bob'), A: await a.take(1), B: await b.take(1) });
  a.s.emit(M, msg('zed', { type: 'offer', sdp: 'v=0' }, 'alice'));
  out({ step: 'A sends to nobody (differs)', A: await a.take(0) });
  b.s.emit(M, msg('alice', { type: 'offer', sdp: 'v=1' }, 'bob'));
  out({ step: 'B offers to A again', A: await a.take(2), B: await b.take(1) });
  b.s.close();
  out({ step: 'B disconnects (differs)', A: await a.take(1) });
  a.s.close();
  out({ step: 'A, the owner, disconnects', C: await c.take(1) });
  out({ step: 'C, the owner now, closes the room (differs)', ack: await c.call('close-entire-session'), presence: await d.call('check-presence', 'r1') });
  out({ step: 'nothing else', C: await c.take(0), D: await d.take(0) });
  [c, d].forEach((x) => x.s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
