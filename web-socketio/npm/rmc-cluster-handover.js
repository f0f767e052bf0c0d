// The presence grace for RTCMultiConnection users (docs/cluster.md §4), with the real socket.io-client 4.8 (what
// RTCMultiConnection 3.7 pages load): alice opens a room on instance b; bob and gone reach instance a through a balancer
// and join it, both with connection state recovery; bob reconnects by itself, gone does not (reconnection off: a page
// closed while its instance went away). The test stops a (or drains it); bob's client reconnects through the balancer,
// lands on b and recovers there; the test watches the room's presence from other instances. Prints one JSON line per
// observation; reads "go" (then prints {"got":true} when bob got a message, and the test stops a) and "stopped" lines on stdin.
// usage: node rmc-cluster-handover.js <balancerUrl> <bUrl> <room>
const [front, bUrl, room] = process.argv.slice(2);
const { io } = require('socket.io-client');
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(45000, () => state());
const MSG = 'RTCMultiConnection-Message';

const user = (url, userid, options) => io(url + '/?userid=' + userid + '&sessionid=' + userid + '&msgEvent=' + MSG
    + '&socketCustomEvent=custom&autoCloseEntireSession=false&maxParticipantsAllowed=10&extra={}',
    { transports: ['websocket'], upgrade: false, forceNew: true, ...options });
const connected = (s) => new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
const call = (s, ...args) => s.timeout(5000).emitWithAck(...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// joining a room opened on another instance: its presence there reaches Redis shortly after open-room's answer (bounded retry)
const joinRoom = async (s) => {
  for (let i = 0; i < 50; i++) {
    const answer = await call(s, 'join-room', { sessionid: room, extra: {} });
    if (answer === true) { return true; }
    await sleep(100);
  }
  return false;
};

(async () => {
  const alice = await connected(user(bUrl, 'alice', { reconnection: false }));
  out({ opened: await call(alice, 'open-room', { sessionid: room, session: { data: true }, extra: {} }) });
  const aliceSaw = [];
  alice.on('user-disconnected', (who) => aliceSaw.push(who));
  const bob = await connected(user(front, 'bob', { reconnectionDelay: 500, reconnectionDelayMax: 500, randomizationFactor: 0 }));
  const gone = await connected(user(front, 'gone', { reconnection: false }));
  const connects = [];
  const got = [];
  bob.on(MSG, (m) => got.push(m.message.n));
  bob.on('disconnect', (reason) => out({ bobDisconnected: reason }));
  bob.on('connect', () => connects.push(bob.recovered));
  state = () => ({ connects, got, bob: bob.connected, aliceSaw });
  out({ joined: await joinRoom(bob), goneJoined: await joinRoom(gone) });
  const firstId = bob.id;
  out({ connected: true, pid: typeof bob._pid === 'string' && bob._pid.length > 0 });
  await line('go');
  // one message through the room's log: bob's offset then carries the room's position, from which b resumes him
  alice.emit(MSG, { remoteUserId: 'bob', sender: 'alice', message: { n: 0 } });
  while (got.length < 1) { await sleep(10); }
  out({ got: true });
  while (connects.length < 1) { await sleep(10); }
  out({ recovered: bob.recovered, sameId: bob.id === firstId });
  await line('stopped');
  out({ aliceSaw, connects });
  [alice, bob, gone].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
