// The hello/ack exchange the two-page data-channel tests read (test state: window.t.received), shared by
// relay-call.html, overnodejs-call.html and rmc-broadcast.html, which load it from beside themselves
// (BrowserLibraries copies it into the bridge's static-dir with the page). Once a data channel opens, the page says
// "hello from <me>" and says it again each second until the other side answers "ack from <it>": a channel can open on
// one side before the other side's library listens to it, so a single hello may be lost. Every message that is not an
// ack is acked; the first one from each peer is kept in `received`.
//
// helloAck(me, send, received) returns { opened(peer), message(data, peer) } for the library's onopen and onmessage.
// send(text, peer) writes on the data channel. A library that addresses peers (RTCMultiConnection) passes the peer's
// userid, and the exchange runs per peer; one that sends to every peer at once (DataChannel.js) passes none, and there
// is one exchange for the page: one ack stops the hellos, and only the first message is kept.
function helloAck(me, send, received) {
  var acked = new Set(), heard = new Set();
  return {
    opened: function (peer) {
      var hello = function () {
        if (!acked.has(peer)) { send('hello from ' + me, peer); setTimeout(hello, 1000); }
      };
      hello();
    },
    message: function (data, peer) {
      if (typeof data === 'string' && data.indexOf('ack from ') === 0) { acked.add(peer); return; }
      send('ack from ' + me, peer);
      if (!heard.has(peer)) { heard.add(peer); received.push(data); }
    }
  };
}
