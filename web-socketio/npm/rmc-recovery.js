// socket.io 4.6+ connection state recovery for the RTCMultiConnection family, with the real socket.io-client 4.8 (what
// RTCMultiConnection 3.7 pages load) against a sigbridge web port; prints one JSON line per observation.
// usage: node rmc-recovery.js <baseUrl> <case: recovered|late> <transports: polling|websocket>
// bob's transport breaks while alice keeps messaging him and carol joins the room; bob comes back (socket.connect()).
const [base, scenario, mode] = process.argv.slice(2);
const { io } = require('socket.io-client');
const transports = mode === 'polling' ? ['polling'] : ['websocket'];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why && why.stack || why) }); process.exit(2); };
setTimeout(() => fail('timeout in ' + scenario), 20000);
const MSG = 'RTCMultiConnection-Message';

const user = (userid) => io(base + '?userid=' + userid + '&sessionid=' + userid + '&msgEvent=' + MSG
    + '&socketCustomEvent=custom&autoCloseEntireSession=false&maxParticipantsAllowed=10&extra={}',
    { transports, upgrade: false, forceNew: true, reconnection: false });
const connected = (s) => new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
const next = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const call = (s, ...args) => s.timeout(5000).emitWithAck(...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const toBob = (s, n) => s.emit(MSG, { remoteUserId: 'bob', sender: 'alice', message: { n } });

(async () => {
  const alice = await connected(user('alice'));
  const bob = await connected(user('bob'));
  out({ pid: typeof bob._pid === 'string' && bob._pid.length > 0 });
  const aliceSaw = [];
  alice.onAny((ev, ...args) => { if (ev === 'user-disconnected') aliceSaw.push(args[0]); });
  const got = [];
  let waiter = null;
  bob.on(MSG, (m, offset) => {
    got.push({ n: m.message.newParticipationRequest ? 'request:' + m.sender : m.message.n, to: m.remoteUserId, offset: typeof offset });
    if (waiter && got.length >= waiter.count) { waiter.resolve(); waiter = null; }
  });
  const until = (count) => got.length >= count ? Promise.resolve() : new Promise((resolve) => { waiter = { count, resolve }; });

  out({ opened: await call(alice, 'open-room', { sessionid: 'csr-rmc', session: { data: true }, extra: {} }) });
  out({ joined: await call(bob, 'join-room', { sessionid: 'csr-rmc', extra: {} }) });
  for (let n = 0; n < 5; n++) toBob(alice, n);
  await until(5);

  const firstId = bob.id;
  const down = next(bob, 'disconnect');
  bob.io.engine.close(); // the transport breaks ('forced close'); no DISCONNECT packet is sent
  out({ reason: (await down)[0] });
  for (let n = 5; n < 10; n++) toBob(alice, n);
  await call(alice, 'get-remote-user-extra-data', 'bob'); // acked after the messages above were handled
  // carol joins while bob is away: her participation request reaches the room (bob too); her message to alice does not
  const carol = await connected(user('carol'));
  out({ carolJoined: await call(carol, 'join-room', { sessionid: 'csr-rmc', extra: {} }) });
  carol.emit(MSG, { remoteUserId: 'csr-rmc', sender: 'carol', message: { newParticipationRequest: true } });
  // handled after the request (carol's events are handled in order), so the request reached bob's kept user before it
  const aliceGot = new Promise((resolve) => alice.on(MSG, (m) => { if (m.message.n === 'for-alice') resolve(); }));
  carol.emit(MSG, { remoteUserId: 'alice', sender: 'carol', message: { n: 'for-alice' } });
  await aliceGot;
  if (scenario === 'late') {
    await sleep(1500); // past max-disconnection-duration (1s in the test)
  }
  const before = got.length;
  bob.connect();
  await next(bob, 'connect');
  out({ recovered: bob.recovered, sameId: bob.id === firstId });
  toBob(alice, 'live');
  await until(before + (bob.recovered ? 7 : 1));
  await sleep(300); // the quiet period: nothing more may arrive (no duplicate)
  out({ afterReconnect: got.slice(before).map((m) => m.n), to: [...new Set(got.map((m) => m.to))],
        offsets: [...new Set(got.map((m) => m.offset))], aliceSawBobLeave: aliceSaw });
  [alice, bob, carol].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
