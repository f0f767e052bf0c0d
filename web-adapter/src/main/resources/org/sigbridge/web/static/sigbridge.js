/*
 * sigbridge.js: a dependency-free signaling client for pages talking to a sigbridge.
 *
 *   <script src="http://127.0.0.1:8888/sigbridge.js"></script>
 *   connection.openSignalingChannel = function (config) { return openSignalingChannel(config); };
 *
 * openSignalingChannel(config) and openSocket(config) keep the WebRTC-Experiment contract: config.channel
 * (default: the page URL without / : # % . [ ]), config.onmessage(obj), optional config.onopen(socket) and
 * config.callback(socket); the socket ({channel, send(obj)}) is returned at once and passed to both callbacks
 * when the bridge is reached. Sends made before that are queued. Each channel uses its own WebSocket on
 * /ws/channels, which reconnects with capped, jittered backoff and re-joins its channel.
 *
 * Presence: every socket opts in to presence events; config.onpresence(event) and SigBridge.onpresence(event)
 * are called, and window receives a 'sigbridge-presence' CustomEvent, with
 * event = {channel, event: 'joined'|'left', participant: {adapter, id, name}, present}.
 * SigBridge.checkPresence(channel, callback) answers callback(true|false).
 *
 * Joining: after its open frame each socket asks the bridge, on the same socket, whether the channel is present;
 * the answer comes after the open was handled, so config.onjoined(socket) means the bridge took the join. A refused
 * join (a deny route, too many channels) comes to config.onerror(error) instead, error = {code, detail, id}, as do
 * all error frames (without onerror they go to the console).
 *
 * Resume: each socket asks for positions ({positions: true}); every message then comes with its position in the
 * channel's history, and a socket that reconnects names the last one ({resume: {channel, position, sessions}}), so
 * the bridge replays what it missed while away, once and in order, never its own messages. config.onresume({channel,
 * recovered}) says whether that worked; recovered false (the bridge restarted, or the history no longer holds the
 * position) means messages sent while it was away are lost to it. Wire: docs/dialects.md §5.4.
 *
 * Sender: config.sender (a non-empty string of at most 256 characters, e.g. the name the user typed) is sent once
 * in the socket's open frame ({open: true, channel, sender}, and in resume after a reconnect); the bridge stamps it
 * on every message of this socket, so an upstream sees who spoke (with the xmpp adapter's occupants: per-user,
 * each name is its own MUC occupant). Under identity.mode verified only the token's sender may be named; another
 * name is refused with a not_permitted error (config.onerror). Wire: docs/dialects.md §2.2.
 *
 * SigBridge.iceServers(callback) answers callback([RTCIceServer…]) with the bridge's ice-servers (empty when
 * none are configured: host candidates only).
 */
(function (global) {
  'use strict';

  var script = document.currentScript;
  var base = script && script.src ? new URL('.', script.src) : new URL('/', location.href);
  var wsBase = (base.protocol === 'https:' ? 'wss://' : 'ws://') + base.host;

  function defaultChannel() {
    return location.href.replace(/\/|:|#|%|\.|\[|\]/g, '');
  }

  function isPresenceFrame(obj) {
    if (!obj || typeof obj !== 'object' || !obj.presence || typeof obj.presence !== 'object') return false;
    var keys = Object.keys(obj);
    return keys.length === 1 && typeof obj.presence.channel === 'string' && typeof obj.presence.event === 'string';
  }

  function firePresence(config, event) {
    if (typeof config.onpresence === 'function') config.onpresence(event);
    if (typeof SigBridge.onpresence === 'function') SigBridge.onpresence(event);
    if (typeof CustomEvent === 'function') global.dispatchEvent(new CustomEvent('sigbridge-presence', { detail: event }));
  }

  function isOnly(obj, key) {
    return obj && typeof obj === 'object' && key in obj && Object.keys(obj).length === 1;
  }

  function openSignalingChannel(config) {
    config = config || {};
    var channel = config.channel || defaultChannel();
    var pending = [];
    var ws = null;
    var opened = false;
    var closedByPage = false;
    var attempt = 0;
    var joinCheck = false;
    var position = null;   // the position of the last message received on the channel (or where the join started)
    var sessions = [];     // this socket's session ids, newest last: the bridge never replays their own messages
    var heard = false;     // a message arrived since the last resume was asked

    var socket = {
      channel: channel,
      send: function (data) {
        var frame = JSON.stringify({ channel: channel, data: data });
        if (ws && ws.readyState === 1) ws.send(frame);
        else if (pending.length < 1000) pending.push(frame);
      },
      close: function () {
        closedByPage = true;
        if (ws) ws.close(1000, 'page closed the channel');
      }
    };

    function connect() {
      ws = new WebSocket(wsBase + '/ws/channels');
      ws.onopen = function () {
        attempt = 0;
        ws.send(JSON.stringify({ positions: true }));
        heard = false;
        var resume = { channel: channel, position: position, sessions: sessions };
        var join = { open: true, channel: channel };
        if (typeof config.sender === 'string' && config.sender) { resume.sender = config.sender; join.sender = config.sender; }
        if (position) ws.send(JSON.stringify({ resume: resume }));
        else ws.send(JSON.stringify(join));
        ws.send(JSON.stringify({ presence: true }));
        joinCheck = true;
        ws.send(JSON.stringify({ checkPresence: true, channel: channel }));
        while (pending.length) ws.send(pending.shift());
        if (!opened) {
          opened = true;
          if (typeof config.callback === 'function') config.callback(socket);
          if (typeof config.onopen === 'function') config.onopen(socket);
        }
      };
      ws.onmessage = function (e) {
        var obj;
        try { obj = JSON.parse(e.data); } catch (err) { return; }
        if (isPresenceFrame(obj)) { firePresence(config, obj.presence); return; }
        if (isOnly(obj, 'session') && typeof obj.session === 'string') {
          sessions.push(obj.session);
          if (sessions.length > 8) sessions.shift();
          return;
        }
        if (isOnly(obj, 'joined') && obj.joined && obj.joined.channel === channel) {
          if (!position && typeof obj.joined.position === 'string') position = obj.joined.position;
          return;
        }
        if (isOnly(obj, 'resumed') && obj.resumed && obj.resumed.channel === channel) {
          if (!obj.resumed.recovered && !heard) position = obj.resumed.position || null;
          if (typeof config.onresume === 'function') config.onresume({ channel: channel, recovered: obj.resumed.recovered });
          return;
        }
        if (obj && typeof obj === 'object' && typeof obj.position === 'string' && 'data' in obj && obj.channel === channel
            && Object.keys(obj).length === 3) {
          position = obj.position;
          heard = true;
          if (typeof config.onmessage === 'function') config.onmessage(obj.data);
          return;
        }
        if (joinCheck && obj && typeof obj.isChannelPresent === 'boolean' && Object.keys(obj).length === 1) {
          joinCheck = false;
          if (obj.isChannelPresent && typeof config.onjoined === 'function') config.onjoined(socket);
          return;
        }
        if (obj && typeof obj === 'object' && obj.error && obj.error.code) {
          if (typeof config.onerror === 'function') config.onerror(obj.error);
          else if (global.console) console.warn('sigbridge:', obj.error.code, obj.error.detail);
          return;
        }
        if (typeof config.onmessage === 'function') config.onmessage(obj);
      };
      ws.onclose = function () {
        if (closedByPage) return;
        // capped, jittered exponential backoff: 0.5 s, 1 s, 2 s ... 10 s
        var delay = Math.min(10000, 500 * Math.pow(2, attempt++)) * (0.5 + Math.random() / 2);
        setTimeout(connect, delay);
      };
    }

    connect();
    return socket;
  }

  function checkPresence(channel, callback) {
    var ws = new WebSocket(wsBase + '/ws/channels');
    ws.onopen = function () { ws.send(JSON.stringify({ checkPresence: true, channel: channel })); };
    ws.onmessage = function (e) {
      var obj = JSON.parse(e.data);
      if (obj && typeof obj.isChannelPresent === 'boolean') {
        ws.close();
        callback(obj.isChannelPresent);
      }
    };
  }

  function iceServers(callback) {
    fetch(new URL('api/ice-servers', base)).then(function (r) { return r.json(); })
      .then(function (body) { callback(body.iceServers || []); }, function () { callback([]); });
  }

  var SigBridge = {
    base: base.href,
    iceServers: iceServers,
    openSignalingChannel: openSignalingChannel,
    openSocket: openSignalingChannel,
    checkPresence: checkPresence,
    onpresence: null
  };
  global.SigBridge = SigBridge;
  global.openSignalingChannel = openSignalingChannel;
  global.openSocket = openSignalingChannel;
})(window);
