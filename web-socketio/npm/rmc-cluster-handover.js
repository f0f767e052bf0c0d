// The presence grace for RTCMultiConnection users (docs/cluster.md §4), with the real socket.io-client 4.8 (what
// RTCMultiConnection 3.7 pages load): alice opens a room on instance b; bob and gone reach instance a through a balancer
// and join it, both with connection state recovery; alice sends bob a message through the room's log. The test then
// stops a (or drains it) and writes "reconnect" once that is done; bob's client reconnects then (its own reconnection
// is off, so that it comes back after the stop, not during it, whatever the machine's speed), through the balancer
// (whose /readyz check takes a draining instance out); gone's never does (a page closed while its instance went away).
// The test watches the room's presence from other instances. Prints one JSON line per observation; reads "go",
// "reconnect" and "stopped" lines on stdin.
// usage: node rmc-cluster-handover.js <balancerUrl> <bUrl> <room>
const [front, bUrl, room] = process.argv.slice(2);
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(45000, () => state());
const { MSG, user, connected, call, sleep, joinRoom: joinRoomOf } = require('./rmc-cluster-client');
const joinRoom = (s) => joinRoomOf(s, room);

(async () => {
  const alice = await connected(user(bUrl, 'alice', { reconnection: false }));
  out({ opened: await call(alice, 'open-room', { sessionid: room, session: { data: true }, extra: {} }) });
  const aliceSaw = [];
  alice.on('user-disconnected', (who) => aliceSaw.push(who));
  const bob = await connected(user(front, 'bob', { reconnection: false }));
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
  await line('reconnect');
  let errors = 0;
  bob.on('connect_error', () => { errors++; });
  for (let i = 0; i < 50 && connects.length < 1; i++) { // the balancer may still try a stopped or draining instance once
    const before = errors;
    bob.connect();
    const end = Date.now() + 3000;
    while (connects.length < 1 && errors === before && Date.now() < end) { await sleep(10); }
    if (connects.length < 1) { await sleep(200); }
  }
  out({ connectErrors: errors });
  out({ recovered: bob.recovered, sameId: bob.id === firstId });
  await line('stopped');
  out({ aliceSaw, connects });
  [alice, bob, gone].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
