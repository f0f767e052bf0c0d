// The sigbridge demo: two tabs on one channel make an RTCPeerConnection with a data-channel chat (and camera
// video when asked), signaling through sigbridge.js. window.demo exposes the state for automated checks.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var me = Math.random().toString(36).slice(2, 10);
  var demo = window.demo = { id: me, dc: 'none', received: [], ice: 'new', route: null, present: null, members: {} };
  var pc = null, dc = null, socket = null, peer = null, started = false;

  if (params.get('channel')) $('channel').value = params.get('channel');

  function log(text, cls) {
    var line = document.createElement('div');
    line.textContent = text;
    if (cls) line.className = cls;
    $('log').appendChild(line);
    $('log').scrollTop = $('log').scrollHeight;
  }

  function showRoute(channel) {
    fetch('/api/route?channel=' + encodeURIComponent(channel)).then(function (r) { return r.json(); }).then(function (r) {
      demo.route = r.route;
      $('route').textContent = r.route === 'local' ? 'local (this bridge\'s hub)' : r.route + (r.target ? ' → ' + r.target : '');
    });
  }

  function showPresence() {
    var names = Object.keys(demo.members);
    $('presence').textContent = (demo.present ? 'present' : 'empty') + (names.length ? ' · others: ' + names.join(', ') : '');
  }

  function wireChannel(channel) {
    dc = channel;
    dc.onopen = function () {
      demo.dc = 'open';
      $('dc').textContent = 'open';
      $('text').disabled = $('send').disabled = false;
      log('data channel open', 'me');
    };
    dc.onclose = function () { demo.dc = 'closed'; $('dc').textContent = 'closed'; };
    dc.onmessage = function (e) { demo.received.push(e.data); log('peer: ' + e.data, 'peer'); };
  }

  function newPeerConnection() {
    pc = new RTCPeerConnection({ iceServers: [] });
    pc.onicecandidate = function (e) { if (e.candidate) socket.send({ type: 'candidate', from: me, to: peer, candidate: e.candidate }); };
    pc.oniceconnectionstatechange = function () { demo.ice = pc.iceConnectionState; $('ice').textContent = pc.iceConnectionState; };
    pc.ondatachannel = function (e) { wireChannel(e.channel); };
    pc.ontrack = function (e) { $('remote').srcObject = e.streams[0]; };
    if (demo.stream) demo.stream.getTracks().forEach(function (t) { pc.addTrack(t, demo.stream); });
  }

  function onSignal(m) {
    if (!m || m.from === me || (m.to && m.to !== me)) return;
    if (m.type === 'hello') {
      if (!m.reply) socket.send({ type: 'hello', from: me, reply: true });
      if (started) return;
      peer = m.from;
      started = true;
      newPeerConnection();
      if (me < peer) { // one side offers; the smaller id, so both tabs agree
        wireChannel(pc.createDataChannel('chat'));
        pc.createOffer().then(function (o) { return pc.setLocalDescription(o); })
          .then(function () { socket.send({ type: 'sdp', from: me, to: peer, sdp: pc.localDescription }); });
      }
    } else if (m.type === 'sdp' && pc) {
      pc.setRemoteDescription(m.sdp).then(function () {
        if (m.sdp.type === 'offer') {
          return pc.createAnswer().then(function (a) { return pc.setLocalDescription(a); })
            .then(function () { socket.send({ type: 'sdp', from: me, to: peer, sdp: pc.localDescription }); });
        }
      });
    } else if (m.type === 'candidate' && pc) {
      pc.addIceCandidate(m.candidate);
    }
  }

  function join(channel) {
    $('signaling').textContent = 'connecting…';
    showRoute(channel);
    socket = openSignalingChannel({
      channel: channel,
      onmessage: onSignal,
      onopen: function () {
        $('signaling').textContent = 'joined ' + channel + ' as ' + me;
        SigBridge.checkPresence(channel, function (p) { demo.present = p; showPresence(); });
        socket.send({ type: 'hello', from: me });
      },
      onpresence: function (e) {
        demo.present = e.present;
        if (e.event === 'joined') demo.members[e.participant.name] = true; else delete demo.members[e.participant.name];
        showPresence();
      }
    });
  }

  function media() {
    // Chrome gathers host candidates on every interface only once media permission is granted; ?gum=1 asks
    // for a microphone and stops it at once (the loopback tests need it, people rarely do).
    var wantCamera = $('camera').checked;
    var steps = Promise.resolve();
    if (params.get('gum')) {
      steps = navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) { s.getTracks().forEach(function (t) { t.stop(); }); });
    }
    if (wantCamera) {
      steps = steps.then(function () { return navigator.mediaDevices.getUserMedia({ video: true, audio: false }); })
        .then(function (s) { demo.stream = s; $('local').srcObject = s; });
    }
    return steps;
  }

  $('join').onsubmit = function (e) {
    e.preventDefault();
    $('join').querySelector('button').disabled = true;
    media().then(function () { join($('channel').value || 'demo'); }, function (err) { log('media: ' + err); join($('channel').value || 'demo'); });
  };
  $('chat').onsubmit = function (e) {
    e.preventDefault();
    var text = $('text').value;
    if (!text || !dc || dc.readyState !== 'open') return;
    dc.send(text);
    log('me: ' + text, 'me');
    $('text').value = '';
  };
  if (params.get('autojoin')) $('join').requestSubmit();
})();
