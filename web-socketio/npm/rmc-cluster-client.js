// What the RTCMultiConnection cluster drivers (rmc-cluster-*.js) share: a user's socket.io-client 4.8 socket as
// RTCMultiConnection v3 opens it, and a join-room that tries again while the room is not yet known on the instance.
const { io } = require('socket.io-client');

const MSG = 'RTCMultiConnection-Message';
const query = (userid) => '/?userid=' + userid + '&sessionid=' + userid + '&msgEvent=' + MSG
    + '&socketCustomEvent=custom&autoCloseEntireSession=false&maxParticipantsAllowed=10&extra={}';
const user = (url, userid, options) => io(url + query(userid),
    { transports: ['websocket'], upgrade: false, forceNew: true, ...options });
const connected = (s) => new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
const call = (s, ...args) => s.timeout(5000).emitWithAck(...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// joining a room opened on another instance: its presence there reaches Redis shortly after open-room's answer, so a
// join that comes first is answered "Room not available"; a page tries again, as this does (bounded)
const joinRoom = async (s, room) => {
  for (let i = 0; i < 50; i++) {
    const answer = await call(s, 'join-room', { sessionid: room, extra: {} });
    if (answer === true) { return true; }
    await sleep(100);
  }
  return false;
};

module.exports = { MSG, query, user, connected, call, sleep, joinRoom };
