// What a DataChannel.js page on the Socket.IO 0.9 bundle did (reliable-call.html, overnodejs-call.html), loaded after
// the 0.9.16 bundle and before DataChannel.js (BrowserLibraries copies it beside the pages; docs/socketio-09.md,
// "Doubles: the bridge's and the library's").
//
// tr.sent / tr.got: one entry per `message` event the page's sockets wrote / the bridge delivered to them (io.Socket's
// packet and onPacket: the 0.9 client neither drops nor repeats a packet between its transport and these), each
// "<channel> <keys> #<hash of the event's arguments>". A Reliable-Signaler message one page sent the other must get
// exactly once: WebRtcLibrariesBrowserTest compares the two. tr.wire: the sockets' story (every packet, connect,
// disconnect, error, with the transport). tr.dc: every RTCPeerConnection DataChannel.js made and each data channel's
// state, events, sends and receipts with their TextSender uuid (one uuid per send), so a text heard twice tells whether
// it was sent twice, and an open heard twice whether the browser fired it twice or a second channel opened.
var tr = window.tr = { t0: Date.now(), sent: [], got: [], wire: [], dc: [] };
(function () {
  function now() { return Date.now() - tr.t0; }
  tr.now = now;
  function hash(s) { var h = 5381; for (var i = 0; i < s.length; i++) { h = ((h * 33) ^ s.charCodeAt(i)) >>> 0; } return h.toString(36); }
  function describe(p) {
    var text = JSON.stringify([p.type, p.endpoint, p.name, p.args, p.data, p.ackId]);
    var m = p.type === 'event' && p.name === 'message' && p.args && p.args[0];
    var what = m ? 'message ' + m.channel + ' ' + (m.message && typeof m.message === 'object' ? Object.keys(m.message).join(',') : typeof m.message)
        : p.type + (p.name ? ' ' + p.name : '') + (p.ackId ? ' ack ' + p.ackId : '') + (p.id ? ' id ' + p.id : '');
    return { message: !!m, line: what + ' #' + hash(text) };
  }
  var onPacket = io.Socket.prototype.onPacket;
  io.Socket.prototype.onPacket = function (p) {
    var d = describe(p);
    if (d.message) tr.got.push(d.line);
    tr.wire.push(now() + ' in  ' + d.line);
    return onPacket.apply(this, arguments);
  };
  var packet = io.Socket.prototype.packet;
  io.Socket.prototype.packet = function (p) {
    var d = describe(p);
    if (d.message) tr.sent.push(d.line);
    tr.wire.push(now() + ' out ' + d.line + (this.connected && !this.doBuffer ? '' : ' (buffered)'));
    return packet.apply(this, arguments);
  };
  ['onConnect', 'onDisconnect', 'onError', 'reconnect'].forEach(function (name) {
    var f = io.Socket.prototype[name];
    io.Socket.prototype[name] = function (a) {
      tr.wire.push(now() + ' ' + name + (a === undefined ? '' : ' ' + JSON.stringify(a)) + ' via ' + (this.transport && this.transport.name));
      return f.apply(this, arguments);
    };
  });

  function uuid(data) { try { var d = JSON.parse(data); return JSON.stringify(d.message) + ' uuid ' + d.uuid; } catch (x) { return typeof data; } }
  function channel(ch, pc, how) {
    var name = 'pc' + pc + '/' + how + ' ' + ch.label + '#' + ch.id;
    tr.dc.push(now() + ' ' + name + ' ' + ch.readyState);
    ['open', 'close', 'error'].forEach(function (e) { ch.addEventListener(e, function () { tr.dc.push(now() + ' ' + name + ' event ' + e); }); });
    ch.addEventListener('message', function (e) { tr.dc.push(now() + ' ' + name + ' got ' + uuid(e.data)); });
    var send = ch.send;
    ch.send = function (data) { tr.dc.push(now() + ' ' + name + ' send ' + uuid(data)); return send.apply(this, arguments); };
  }
  // DataChannel.js 1.0.0 makes its peer connections with window.webkitRTCPeerConnection
  var Native = window.webkitRTCPeerConnection, count = 0;
  if (!Native) return;
  window.webkitRTCPeerConnection = function (config, constraints) {
    var pc = new Native(config, constraints), n = ++count;
    tr.dc.push(now() + ' pc' + n + ' new');
    var create = pc.createDataChannel;
    pc.createDataChannel = function () { var ch = create.apply(pc, arguments); channel(ch, n, 'made'); return ch; };
    pc.addEventListener('datachannel', function (e) { channel(e.channel, n, 'got'); });
    pc.addEventListener('connectionstatechange', function () { tr.dc.push(now() + ' pc' + n + ' ' + pc.connectionState); });
    return pc;
  };
  window.webkitRTCPeerConnection.prototype = Native.prototype;
})();
