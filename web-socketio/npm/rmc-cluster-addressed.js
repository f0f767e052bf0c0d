// Addressed messages to a user whose instance goes away (docs/cluster.md §5), with the real socket.io-client 4.8 (what
// RTCMultiConnection 3.7 pages load): alice opens a room on instance a; bob joins it on instance b (connection state
// recovery on, his own reconnection off). On "send1" alice sends bob n = 0..9 and the script waits until he has them;
// on "send2" she sends n = 10..19 (the test has killed or stopped b meanwhile); on "reconnect <url>" bob's client
// reconnects there and the script waits until he has 20; "end" ends it. Prints one JSON line per observation: every
// error event alice gets ({error: {code, id, detail}}) and every user-not-found, as they come.
// usage: node rmc-cluster-addressed.js <aUrl> <bUrl> <room>
const [aUrl, bUrl, room] = process.argv.slice(2);
const { out, fail, timeLimit, line } = require('./test-driver');
let state = () => ({});
timeLimit(80000, () => state());
const { MSG, user, connected, call, sleep, joinRoom } = require('./rmc-cluster-client');

const lines = [];
const waitLine = (prefix) => new Promise((resolve) => {
  const poll = () => { const i = lines.findIndex((l) => l.startsWith(prefix)); if (i >= 0) { resolve(lines.splice(i, 1)[0]); } else { setTimeout(poll, 10); } };
  poll();
});
require('readline').createInterface({ input: process.stdin }).on('line', (l) => lines.push(l.trim()));

(async () => {
  const alice = await connected(user(aUrl, 'alice', { reconnection: false }));
  const errors = [];
  alice.on('error', (e) => { errors.push(e); out({ error: e }); });
  alice.on('user-not-found', (who) => out({ userNotFound: who }));
  out({ opened: await call(alice, 'open-room', { sessionid: room, session: { data: true }, extra: {} }) });
  const bob = await connected(user(bUrl, 'bob', { reconnection: false }));
  const got = [];
  const connects = [];
  bob.on(MSG, (m) => { if (m.message && typeof m.message.n === 'number') { got.push(m.message.n); } });
  bob.on('disconnect', (reason) => out({ bobDisconnected: reason }));
  bob.on('connect', () => connects.push(bob.recovered));
  state = () => ({ got, errors, connects });
  out({ joined: await joinRoom(bob, room) });
  out({ connected: true });
  const send = (from, to) => { for (let n = from; n < to; n++) { alice.emit(MSG, { remoteUserId: 'bob', sender: 'alice', message: { n } }); } };
  await waitLine('send1');
  send(0, 10);
  while (got.length < 10) { await sleep(10); }
  out({ got1: got });
  await waitLine('send2');
  send(10, 20);
  out({ sent2: true });
  const next = await waitLine('');
  if (next.startsWith('reconnect ')) {
    bob.io.uri = next.substring('reconnect '.length); // the Manager opens its next engine on this address
    let tries = 0;
    while (connects.length < 1 && tries++ < 50) {
      bob.connect();
      const end = Date.now() + 3000;
      while (connects.length < 1 && Date.now() < end) { await sleep(10); }
    }
    while (got.length < 20) { await sleep(10); }
    out({ recovered: bob.recovered, got });
    await waitLine('end');
  }
  out({ final: { got, errors } });
  [alice, bob].forEach((s) => s.close());
  process.exit(0);
})().catch(fail);
