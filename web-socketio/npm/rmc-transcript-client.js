// What the RTCMultiConnection transcript scripts (rmc.js, rmc-broadcast.js) share: a page's socket as
// RTCMultiConnection 3.7 opens it, recording every event it hears, with `call` (an emit that resolves to its ack) and
// `take(n)` (waits for n more events, makes a round trip so that whatever the server emitted before answering has
// arrived, and answers everything heard since the last take).
const { io } = require('socket.io-client');

const MSG = 'RTCMultiConnection-Message';

// the query RTCMultiConnection appends to the URL; `more` adds page options (e.g. scalable broadcast), `extra` is raw JSON
const query = (userid, extra, more) => '?userid=' + userid + '&sessionid=' + userid + '&msgEvent=' + MSG
    + '&socketCustomEvent=RTCMultiConnection-Custom-Message&autoCloseEntireSession=false&maxParticipantsAllowed=1000'
    + (more || '') + '&extra=' + JSON.stringify(extra);

// resolves to the client once connected; rejects on connect_error
function client(base, userid, extra, transports, more) {
  const s = io(base + query(userid, extra, more), { transports, forceNew: true, reconnection: false });
  const heard = [];
  const waiters = [];
  s.onAny((...event) => {
    heard.push(event);
    while (waiters.length && waiters[0].count <= heard.length) waiters.shift().resolve();
  });
  const c = {
    s, heard, taken: 0,
    call: (...args) => new Promise((resolve) => s.emit(...args, (...answer) => resolve(answer))),
    take: async (n) => {
      if (heard.length < c.taken + n) await new Promise((resolve) => waiters.push({ count: c.taken + n, resolve }));
      await c.call('get-remote-user-extra-data', 'flush');
      const got = heard.slice(c.taken);
      c.taken = heard.length;
      return got;
    },
  };
  return new Promise((resolve, reject) => {
    s.on('connect', () => resolve(c));
    s.on('connect_error', reject);
  });
}

// a transcript script's failure line and exit, and its overall time limit
const fail = (why) => { process.stdout.write(JSON.stringify({ fail: String(why && why.stack || why) }) + '\n'); process.exit(2); };
const limit = (ms) => setTimeout(() => fail('timeout'), ms);

module.exports = { MSG, client, fail, limit };
