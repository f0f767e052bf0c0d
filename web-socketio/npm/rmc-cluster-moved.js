// socket.io 4.6+ connection state recovery of an RTCMultiConnection user moved to another instance of a cluster while
// its first instance lives (docs/cluster.md §2), with the real socket.io-client 4.8: alice opens a room on instance b;
// eve and bob join it on instance a; eve and alice message bob. bob's transport breaks; alice messages him meanwhile;
// eve (on a, so written to bob's kept user there directly, on no log) too. His client reconnects to b (as a balancer
// that moved it would send it: the page's Manager is pointed at b, the rest is the client's own recovery), recovers
// there, and a lets its kept user go without telling eve he left, and hands eve's messages on to him on b. Then eve's
// live message (from a) and alice's reach him on b. Prints one JSON line per observation; reads "go" and "taken" on stdin.
// usage: node rmc-cluster-moved.js <aUrl> <bUrl> <room>
const [aUrl, bUrl, room] = process.argv.slice(2);
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(45000, () => state());
const { MSG, query, user: userOf, connected, call, sleep, joinRoom: joinRoomOf } = require('./rmc-cluster-client');
const user = (url, userid) => userOf(url, userid, { reconnection: false });
const next = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const joinRoom = (s) => joinRoomOf(s, room);
const toBob = (s, sender, n) => s.emit(MSG, { remoteUserId: 'bob', sender, message: { n } });

(async () => {
  const alice = await connected(user(bUrl, 'alice'));
  out({ opened: await call(alice, 'open-room', { sessionid: room, session: { data: true }, extra: {} }) });
  const eve = await connected(user(aUrl, 'eve'));
  out({ eveJoined: await joinRoom(eve) });
  const bob = await connected(user(aUrl, 'bob'));
  out({ joined: await joinRoom(bob) });
  const eveSaw = [];
  eve.onAny((ev, ...args) => { if (ev === 'user-disconnected') eveSaw.push(args[0]); });
  const got = [];
  bob.on(MSG, (m, offset) => got.push({ from: m.sender, n: m.message.n, to: m.remoteUserId, offset: typeof offset }));
  const until = async (count, what) => {
    const end = Date.now() + 15000;
    while (got.length < count) {
      if (Date.now() > end) { fail('bob did not get ' + what + ': ' + JSON.stringify(got)); }
      await sleep(10);
    }
  };
  state = () => ({ got, eveSaw, bob: bob.connected });
  out({ connected: true, pid: typeof bob._pid === 'string' && bob._pid.length > 0 });
  await line('go'); // every instance lists the three of them
  toBob(eve, 'eve', 0);
  for (let n = 0; n < 5; n++) toBob(alice, 'alice', n);
  await until(6, 'the first messages');

  const firstId = bob.id;
  const down = next(bob, 'disconnect');
  bob.io.engine.close(); // the transport breaks ('forced close'); no DISCONNECT packet is sent
  out({ reason: (await down)[0] });
  const before = got.length;
  for (let n = 5; n < 10; n++) toBob(alice, 'alice', n);
  for (let n = 1; n < 4; n++) toBob(eve, 'eve', n); // from a user of a: written to bob's kept user there, on no log
  await call(alice, 'get-remote-user-extra-data', 'bob'); // acked after the messages above were handled
  await call(eve, 'get-remote-user-extra-data', 'bob');
  bob.io.uri = bUrl + query('bob'); // the balancer sends the reconnect to b
  bob.connect();
  await next(bob, 'connect');
  out({ recovered: bob.recovered, sameId: bob.id === firstId });
  await line('taken'); // a let its kept user go
  toBob(eve, 'eve', 'live');
  toBob(alice, 'alice', 'live');
  await until(before + 10, 'what he missed and the live ones');
  await sleep(300); // the quiet period: nothing more may arrive (no duplicate)
  const bySender = {};
  got.slice(before).forEach((m) => { (bySender[m.from] = bySender[m.from] || []).push(m.n); });
  out({ afterReconnect: bySender, count: got.length - before, to: [...new Set(got.map((m) => m.to))],
        offsets: [...new Set(got.map((m) => m.offset))], eveSawBobLeave: eveSaw });
  [alice, bob, eve].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
