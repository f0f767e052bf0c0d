// The sigbridge demo: every tab on a channel makes an RTCPeerConnection with every other tab (a full mesh, up to
// MAX_PEERS others) with a data-channel chat (and camera video when asked), signaling through sigbridge.js.
// The page shows the route, who is in the channel (browsers by the names they chose, native XMPP and SIP users
// by theirs), errors in plain words, and each message that crosses the bridge. window.demo exposes the state
// for automated checks.
//
// Messages between tabs, inside the channel's data: {type:'hello', from, name, reply?, to?}, {type:'bye', from},
// {type:'sdp', from, to, sdp}, {type:'candidate', from, to, candidate}. Anything else is a message from someone
// else in the channel (a native XMPP or SIP user, another page) and is shown as it came.
(function () {
  'use strict';
  var MAX_PEERS = 8;
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var me = Math.random().toString(36).slice(2, 10);
  var demo = window.demo = {
    id: me, name: null, dc: 'none', received: [], ice: 'new', route: null, target: '', present: null, members: {},
    joined: false, status: 'not joined', errors: [], peers: {}, roster: [], signals: [], native: [], iceServers: null,
    candidateTypes: {}, hostOnly: null, maxPeers: MAX_PEERS
  };
  var socket = null, channel = null, rosterSeq = 0, names = {};
  var PLAIN = {
    not_permitted: 'the bridge does not permit this channel (its routing table or identity rules refuse it)',
    upstream_timeout: 'the upstream server (XMPP or SIP) did not answer in time',
    upstream_unavailable: 'the upstream server (XMPP or SIP) cannot be reached right now',
    upstream_rejected: 'the upstream server refused the message',
    rate_limited: 'this page sends faster than the bridge allows',
    too_large: 'a message was larger than the bridge allows',
    too_many_channels: 'this connection has joined as many channels as the bridge allows',
    expired: 'a message waited too long for the upstream server and was dropped',
    shutting_down: 'the bridge is shutting down',
    no_such_recipient: 'the person a message was for is no longer in the channel',
    invalid_json: 'the bridge could not read a message (not JSON)',
    invalid_frame: 'the bridge could not read a message (wrong shape)',
    internal: 'the bridge hit a bug'
  };

  $('cap').textContent = MAX_PEERS + 1;
  if (params.get('channel')) $('channel').value = params.get('channel');
  $('name').value = params.get('name') || params.get('userid') || 'guest-' + me.slice(0, 4);

  function log(text, cls) {
    var line = document.createElement('div');
    line.textContent = text;
    if (cls) line.className = cls;
    $('log').appendChild(line);
    $('log').scrollTop = $('log').scrollHeight;
  }

  function setStatus(text) { demo.status = text; $('signaling').textContent = text; }

  function showError(code, detail) {
    demo.errors.push({ code: code, detail: detail || '' });
    var box = $('errors');
    var line = document.createElement('div');
    line.textContent = code + ': ' + (PLAIN[code] || 'the bridge reported an error') + (detail ? ' (' + detail + ')' : '');
    box.appendChild(line);
    box.hidden = false;
    if (!demo.joined) setStatus('refused: ' + code);
  }

  function routeLabel() {
    if (demo.route === 'local' || demo.route === null) return 'local';
    return demo.route + (demo.target ? ' → ' + demo.target : '');
  }

  function signal(dir, type, peerId, bytes) {
    var entry = { time: new Date().toISOString().slice(11, 23), dir: dir, type: type,
      peer: peerId === '*' ? 'everyone' : peerName(peerId), bytes: bytes, route: routeLabel() };
    demo.signals.push(entry);
    var row = document.createElement('tr');
    [entry.time, dir, type, entry.peer, String(bytes), entry.route].forEach(function (v) {
      var td = document.createElement('td'); td.textContent = v; row.appendChild(td);
    });
    $('signalrows').appendChild(row);
    $('signalcount').textContent = demo.signals.length;
  }

  function kind(m) {
    if (m.type === 'sdp') return m.sdp && m.sdp.type;
    if (m.type === 'candidate') {
      var typ = m.candidate && /typ (\w+)/.exec(m.candidate.candidate);
      return 'candidate ' + (typ ? typ[1] : '(end)');
    }
    return m.type;
  }

  function send(m) {
    var text = JSON.stringify(m);
    signal('→', kind(m), m.to || '*', text.length);
    socket.send(m);
  }

  function peerName(id) { return demo.peers[id] && demo.peers[id].name || names[id] || id; }

  // ---- who is here ----
  function refreshRoster() {
    var seq = ++rosterSeq; // only the newest answer is shown: a presence event racing a fetch cannot leave it stale
    fetch('/api/route?channel=' + encodeURIComponent(channel)).then(function (r) { return r.json(); }).then(function (r) {
      if (seq !== rosterSeq) return;
      demo.present = r.present;
      demo.roster = r.participants || [];
      renderRoster();
    });
  }

  function renderRoster() {
    var list = $('roster');
    list.textContent = '';
    function item(text, cls) { var li = document.createElement('li'); li.textContent = text; if (cls) li.className = cls; list.appendChild(li); }
    item(demo.name + ' (you, this tab)', 'me');
    Object.keys(demo.peers).forEach(function (id) {
      var p = demo.peers[id];
      item(p.name + ' — browser, data channel ' + p.dc + ', ICE ' + p.ice);
    });
    var upstream = demo.roster.filter(function (p) { return demo.route !== 'local' && p.adapter === demo.route; });
    upstream.forEach(function (p) { item(p.name + ' — via ' + p.adapter + (demo.target ? ' (' + demo.target + ')' : ''), 'native'); });
    var local = demo.roster.length - upstream.length;
    $('presence').textContent = (demo.present ? '' : 'nobody yet · ') + local + ' browser connection' + (local === 1 ? '' : 's')
      + ' on this bridge' + (demo.route !== 'local' && demo.route !== 'deny' ? ', ' + upstream.length + ' via ' + demo.route : '')
      + ' · mesh ' + Object.keys(demo.peers).length + ' of ' + MAX_PEERS + ' peers';
  }

  // ---- peers ----
  function updateDc() {
    var open = Object.keys(demo.peers).filter(function (id) { return demo.peers[id].dc === 'open'; }).length;
    demo.dc = open > 0 ? 'open' : (Object.keys(demo.peers).length ? 'connecting' : 'none');
    $('dc').textContent = open + ' open of ' + Object.keys(demo.peers).length;
    $('text').disabled = $('send').disabled = open === 0;
    renderRoster();
  }

  function wireChannel(p, dc) {
    p.channel = dc;
    dc.onopen = function () { p.dc = 'open'; log('data channel open with ' + p.name, 'me'); updateDc(); };
    dc.onclose = function () { // the other tab closed or reloaded
      if (demo.peers[p.id] === p) removePeer(p.id, 'data channel closed'); else updateDc();
    };
    dc.onmessage = function (e) { demo.received.push(e.data); log(p.name + ': ' + e.data, 'peer'); };
  }

  function noteCandidate(c) {
    var m = /typ (\w+)/.exec(c.candidate);
    if (m) demo.candidateTypes[m[1]] = (demo.candidateTypes[m[1]] || 0) + 1;
  }

  function showIceNote() {
    var types = Object.keys(demo.candidateTypes);
    demo.hostOnly = types.length > 0 && types.every(function (t) { return t === 'host'; });
    var servers = demo.iceServers ? demo.iceServers.length : 0;
    $('icenote').textContent = (servers ? servers + ' STUN/TURN server' + (servers === 1 ? '' : 's') + ' from the bridge'
      : 'no STUN/TURN configured (ice-servers)') + '; candidates: ' + (types.join(', ') || 'none yet')
      + (demo.hostOnly ? ' — host candidates only: calls work on this machine or LAN, not across NATs' : '');
  }

  function addPeer(id, name) {
    if (demo.peers[id]) {
      if (name) demo.peers[id].name = name;
      return demo.peers[id];
    }
    if (Object.keys(demo.peers).length >= MAX_PEERS) {
      log('mesh full: ' + (name || id) + ' not connected (this demo connects up to ' + MAX_PEERS + ' others)', 'err');
      return null;
    }
    var p = demo.peers[id] = { id: id, name: name || names[id] || id, dc: 'connecting', ice: 'new', pending: [], remoteSet: false };
    var pc = p.pc = new RTCPeerConnection({ iceServers: demo.iceServers || [] });
    pc.onicecandidate = function (e) {
      if (e.candidate) { noteCandidate(e.candidate); send({ type: 'candidate', from: me, to: id, candidate: e.candidate }); }
      else showIceNote();
    };
    pc.oniceconnectionstatechange = function () { p.ice = demo.ice = pc.iceConnectionState; renderRoster(); };
    pc.onconnectionstatechange = function () { if (pc.connectionState === 'failed' || pc.connectionState === 'closed') removePeer(id, pc.connectionState); };
    pc.ondatachannel = function (e) { wireChannel(p, e.channel); };
    pc.ontrack = function (e) { showVideo(id, e.streams[0]); };
    if (demo.stream) demo.stream.getTracks().forEach(function (t) { pc.addTrack(t, demo.stream); });
    if (me < id) { // one side offers: the smaller id, so both tabs agree
      wireChannel(p, pc.createDataChannel('chat'));
      pc.createOffer().then(function (o) { return pc.setLocalDescription(o); })
        .then(function () { send({ type: 'sdp', from: me, to: id, sdp: pc.localDescription }); });
    }
    updateDc();
    return p;
  }

  function removePeer(id, why) {
    var p = demo.peers[id];
    if (!p) return;
    delete demo.peers[id];
    try { p.pc.close(); } catch (e) { /* already closed */ }
    var v = $('video-' + id);
    if (v) v.remove();
    log(p.name + ' left (' + why + ')', 'peer');
    updateDc();
  }

  function showVideo(id, stream) {
    var v = $('video-' + id);
    if (!v) { v = document.createElement('video'); v.id = 'video-' + id; v.autoplay = true; v.playsInline = true; $('videos').appendChild(v); }
    v.srcObject = stream;
  }

  function remoteDescriptionSet(p) {
    p.remoteSet = true;
    while (p.pending.length) p.pc.addIceCandidate(p.pending.shift());
  }

  function onSignal(m) {
    if (!m || typeof m !== 'object' || ['hello', 'bye', 'sdp', 'candidate'].indexOf(m.type) < 0 || typeof m.from !== 'string') {
      demo.native.push(m); // someone who is not a demo tab: a native XMPP or SIP user, another page
      signal('←', 'message', '*', JSON.stringify(m).length);
      log('(' + routeLabel() + ') ' + (typeof m === 'string' ? m : JSON.stringify(m)), 'native');
      return;
    }
    if (m.from === me || (m.to && m.to !== me)) return;
    if (m.type === 'hello' && typeof m.name === 'string') names[m.from] = m.name;
    signal('←', kind(m), m.from, JSON.stringify(m).length);
    if (m.type === 'hello') {
      if (!m.reply) send({ type: 'hello', from: me, name: demo.name, reply: true, to: m.from });
      addPeer(m.from, m.name);
    } else if (m.type === 'bye') {
      removePeer(m.from, 'closed the tab');
    } else if (m.type === 'sdp') {
      var p = addPeer(m.from);
      if (!p) return;
      p.pc.setRemoteDescription(m.sdp).then(function () {
        remoteDescriptionSet(p);
        if (m.sdp.type === 'offer') {
          return p.pc.createAnswer().then(function (a) { return p.pc.setLocalDescription(a); })
            .then(function () { send({ type: 'sdp', from: me, to: m.from, sdp: p.pc.localDescription }); });
        }
      });
    } else if (m.type === 'candidate') {
      var q = demo.peers[m.from];
      if (!q) return;
      if (q.remoteSet) q.pc.addIceCandidate(m.candidate); else q.pending.push(m.candidate);
    }
    renderRoster();
  }

  // ---- joining ----
  function join(name) {
    channel = name;
    demo.name = ($('name').value || 'guest-' + me.slice(0, 4)).slice(0, 256); // the bridge takes at most 256 characters
    setStatus('connecting…');
    fetch('/api/route?channel=' + encodeURIComponent(channel)).then(function (r) { return r.json(); }).then(function (r) {
      demo.route = r.route;
      demo.target = r.target || '';
      $('route').textContent = r.route === 'local' ? 'local (this bridge\'s hub)'
        : r.route === 'deny' ? 'deny (the routing table refuses this channel)' : r.route + ' → ' + r.target;
      SigBridge.iceServers(function (servers) { demo.iceServers = servers; showIceNote(); open(); });
    }, function (e) { showError('internal', 'cannot reach /api/route: ' + e); });
  }

  function open() {
    socket = openSignalingChannel({
      channel: channel,
      sender: demo.name, // the bridge stamps it on this tab's messages: its own MUC occupant with occupants: per-user
      onmessage: onSignal,
      onerror: function (err) {
        showError(err.code, err.detail);
        if (!demo.joined && err.code === 'not_permitted') {
          socket.close();
          $('join').querySelector('button').disabled = false; // try another channel
        }
      },
      onjoined: function () {
        var again = demo.joined;
        demo.joined = true;
        setStatus('joined ' + channel + ' as ' + demo.name + (again ? ' (reconnected)' : ''));
        refreshRoster();
        send({ type: 'hello', from: me, name: demo.name });
      },
      onpresence: function (e) {
        demo.present = e.present;
        if (e.event === 'joined') demo.members[e.participant.name] = true; else delete demo.members[e.participant.name];
        refreshRoster();
      }
    });
  }

  function media() {
    // Chrome gathers host candidates on every interface only once media permission is granted; ?gum=1 asks
    // for a microphone and stops it at once (the loopback tests need it, people rarely do).
    var steps = Promise.resolve();
    if (params.get('gum')) {
      steps = navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) { s.getTracks().forEach(function (t) { t.stop(); }); });
    }
    if ($('camera').checked) {
      steps = steps.then(function () { return navigator.mediaDevices.getUserMedia({ video: true, audio: false }); })
        .then(function (s) { demo.stream = s; $('local').srcObject = s; $('local').hidden = false; $('camidle').hidden = true; });
    }
    return steps;
  }

  $('join').onsubmit = function (e) {
    e.preventDefault();
    $('join').querySelector('button').disabled = true;
    var name = $('channel').value || 'demo';
    media().then(function () { join(name); }, function (err) { log('camera/microphone: ' + err, 'err'); join(name); });
  };
  $('chat').onsubmit = function (e) {
    e.preventDefault();
    var text = $('text').value;
    var open = Object.keys(demo.peers).map(function (id) { return demo.peers[id]; }).filter(function (p) { return p.dc === 'open'; });
    if (!text || !open.length) return;
    open.forEach(function (p) { p.channel.send(text); });
    log(demo.name + ': ' + text, 'me');
    $('text').value = '';
  };
  window.addEventListener('pagehide', function () {
    if (socket && demo.joined) send({ type: 'bye', from: me });
  });
  if (params.get('autojoin')) $('join').requestSubmit();
})();
