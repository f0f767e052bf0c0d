// socket.io 4.6+ connection state recovery of an RTCMultiConnection user across the instances of a cluster
// (docs/cluster.md §2, docs/socketio.md "RTCMultiConnection"), with the real socket.io-client 4.8 (what RTCMultiConnection
// 3.7 pages load). alice opens a room on instance b and dave joins it on instance c; bob reaches instance a through a
// balancer and joins it; alice and dave message bob. The test kills a (kill -9); while bob's client waits to reconnect,
// alice and dave go on messaging him and carol joins the room (her participation request reaches bob too). bob's client
// reconnects through the balancer by itself, lands on b, and must get what he missed once, in each sender's order (case
// "recovered"), or be told recovered === false when the room's log no longer holds his position (case "trimmed": more
// messages than the log keeps). Prints one JSON line per observation; reads "go" and "killed" lines on stdin.
// usage: node rmc-cluster-recovery.js <balancerUrl> <bUrl> <cUrl> <room> <missed> <case: recovered|trimmed>
const [front, bUrl, cUrl, room, missedText, scenario] = process.argv.slice(2);
const missed = Number(missedText);
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(45000, () => state());
const { MSG, user, connected, call, sleep, joinRoom: joinRoomOf } = require('./rmc-cluster-client');
const joinRoom = (s) => joinRoomOf(s, room);
const toBob = (s, sender, n) => s.emit(MSG, { remoteUserId: 'bob', sender, message: { n } });

(async () => {
  const alice = await connected(user(bUrl, 'alice', { reconnection: false }));
  out({ opened: await call(alice, 'open-room', { sessionid: room, session: { data: true }, extra: {} }) });
  const dave = await connected(user(cUrl, 'dave', { reconnection: false }));
  out({ daveJoined: await joinRoom(dave) });
  // bob reconnects by itself, a fixed second after his transport broke, so that he misses messages meanwhile
  const bob = await connected(user(front, 'bob', { reconnectionDelay: 1000, reconnectionDelayMax: 1000, randomizationFactor: 0 }));
  const got = [];
  const connects = [];
  let away = null;
  let before = -1; // what bob had when his transport broke: nothing reaches him until he is back
  bob.on(MSG, (m, offset) => {
    got.push({ from: m.sender, n: m.message.newParticipationRequest ? 'request' : m.message.n, to: m.remoteUserId, offset: typeof offset });
  });
  bob.on('disconnect', (reason) => { away = reason; before = got.length; out({ bobDisconnected: reason }); });
  bob.on('connect', () => { connects.push(bob.recovered); away = null; out({ bobConnected: true, recovered: bob.recovered }); });
  const until = async (count, what) => {
    const end = Date.now() + 15000;
    while (got.length < count) {
      if (Date.now() > end) { fail('bob did not get ' + what + ': ' + JSON.stringify(got)); }
      await sleep(10);
    }
  };
  state = () => ({ got, connects, away, bob: bob.connected });
  out({ joined: await joinRoom(bob) });
  out({ connected: true, pid: typeof bob._pid === 'string' && bob._pid.length > 0 });
  await line('go');

  for (let n = 0; n < 5; n++) { toBob(alice, 'alice', n); toBob(dave, 'dave', n); }
  await until(10, 'the first five of each');
  const firstId = bob.id;
  out({ kill: true });
  await line('killed');
  while (away === null) { await sleep(5); }
  for (let n = 5; n < 5 + missed; n++) { toBob(alice, 'alice', n); toBob(dave, 'dave', n); }
  await call(alice, 'get-remote-user-extra-data', 'bob'); // acked after the messages above were handled
  await call(dave, 'get-remote-user-extra-data', 'bob');
  const carol = await connected(user(bUrl, 'carol', { reconnection: false }));
  out({ carolJoined: await joinRoom(carol) });
  carol.emit(MSG, { remoteUserId: room, sender: 'carol', message: { newParticipationRequest: true } });
  await call(carol, 'get-remote-user-extra-data', 'alice'); // acked after her request was handled
  out({ sentWhileAway: away !== null });
  while (connects.length < 1) { await sleep(10); }
  out({ recovered: bob.recovered, sameId: bob.id === firstId });
  toBob(alice, 'alice', 'live');
  if (bob.recovered) { // in his room again: dave's message from c reaches him on b (a fresh user is in no room)
    toBob(dave, 'dave', 'live');
  }
  const expected = before + (bob.recovered ? 2 * missed + 3 : 1);
  await until(expected, 'what he missed and the live one');
  await sleep(300); // the quiet period: nothing more may arrive (no duplicate)
  const bySender = {};
  got.slice(before).forEach((m) => { (bySender[m.from] = bySender[m.from] || []).push(m.n); });
  out({ afterReconnect: bySender, count: got.length - before, to: [...new Set(got.map((m) => m.to))],
        offsets: [...new Set(got.map((m) => m.offset))], connects });
  [alice, bob, carol, dave].forEach((s) => s.close());
  out({ done: true });
  process.exit(0);
})().catch(fail);
