package org.sigbridge.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The wire dialects the generator speaks: the two browser dialects (docs/design.md §3, docs/dialects.md §2),
 * PeerJS for the PeerJS relay scenario (docs/peerjs.md) and ASP.NET Core SignalR for the SignalR broadcast scenario
 * (docs/signalr.md), and socket.io 4 ({@link SocketIoCodec}, docs/socketio.md) over WebSocket and over polling for the
 * socket.io scenario. Channel names and senders
 * the generator makes are plain ASCII, so frames are built by concatenation without escaping.
 */
public enum WireDialect {
    /** {@code {open:true,channel}} subscribes; {@code {channel,data}} publishes; members get the bare data. */
    CHANNELS,
    /** {@code {sender,channel,message}} in and out; the socket joins by {@code ?channel=} in its URL. */
    ENVELOPE,
    /**
     * The PeerJS server protocol (docs/peerjs.md), pairs only: client {@code i} of channel {@code ch} registers as
     * PeerJS id {@code ch-i} ({@code ?key=peerjs&id&token}) and sends {@code {type:OFFER,dst,payload}} to its partner,
     * the other client of its pair ({@code i ^ 1}); the server relays it with {@code src} stamped.
     */
    PEERJS,
    /**
     * ASP.NET Core SignalR's JSON hub protocol ({@link SignalRCodec}, docs/signalr.md): each channel is a hub of its
     * own, {@code {base}{channel}}, reached after a negotiate ({@link #negotiates()}); the client sends the handshake,
     * then {@code Send} with the seed's {@code {message, channel}} text; members hear {@code onMessageReceived(text)}.
     */
    SIGNALR,
    /**
     * socket.io-client 4 with {@code transports: ['websocket']} against the {@code message} relay family (docs/socketio.md)
     * ({@link SocketIoCodec}, docs/socketio.md): the socket names its channel in the handshake query, sends {@code 40}
     * once the server's open packet arrived, is connected on {@code 40{…}}, answers pings, and emits
     * {@code message} with the seed's {@code {sender, channel, message}} value; members hear the same value.
     */
    SOCKETIO,
    /** As {@link #SOCKETIO} over Engine.IO 4 HTTP long-polling: one GET pending at a time, one POST at a time. */
    SOCKETIO_POLLING;

    public static WireDialect parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is socket.io 4 (either transport). */
    public boolean socketIo() {
        return this == SOCKETIO || this == SOCKETIO_POLLING;
    }

    /** Whether clients of this dialect use HTTP long-polling instead of a WebSocket. */
    public boolean polling() {
        return this == SOCKETIO_POLLING;
    }

    /** The URI one client connects to: envelope sockets name their channel in the query string. */
    public URI connectUri(URI base, String channel) {
        if (this == CHANNELS) {
            return base;
        }
        if (this == PEERJS) {
            throw new IllegalArgumentException("a PeerJS client needs its index: connectUri(base, channel, index)");
        }
        if (this == SIGNALR) {
            return URI.create(base + channel); // the hub's socket; negotiate adds ?id=token
        }
        if (this == SOCKETIO) {
            return SocketIoCodec.webSocketUri(base, channel);
        }
        if (this == SOCKETIO_POLLING) {
            return SocketIoCodec.pollingUri(base, channel);
        }
        String separator = base.getRawQuery() == null ? "?" : "&";
        return URI.create(base + separator + "channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }

    /** The URI client {@code index} of {@code channel} connects to; only PeerJS ids name the client. */
    public URI connectUri(URI base, String channel, int index) {
        if (this != PEERJS) {
            return connectUri(base, channel);
        }
        return URI.create(base + "?key=peerjs&id=" + channel + "-" + index + "&token=t" + index + "&version=1.5.5");
    }

    /**
     * The frame sent right after connecting, or an empty string when the URL already joined the channel (socket.io
     * sends its CONNECT when the server's open packet arrives, not on open).
     */
    public String openFrame(String channel) {
        if (this == SIGNALR) {
            return SignalRCodec.HANDSHAKE;
        }
        return this == CHANNELS ? "{\"open\":true,\"channel\":\"" + channel + "\"}" : "";
    }

    /** Whether a client negotiates over HTTP before its socket opens ({@link SignalRCodec#negotiateUri}). */
    public boolean negotiates() {
        return this == SIGNALR;
    }

    /** A publish frame carrying {@code body} (a JSON object text) from client {@code sender} on {@code channel}. */
    public String publishFrame(String channel, int sender, String body) {
        if (this == CHANNELS) {
            return "{\"channel\":\"" + channel + "\",\"data\":" + body + "}";
        }
        if (this == SIGNALR) {
            return SignalRCodec.send(channel, body);
        }
        if (socketIo()) {
            return SocketIoCodec.message(channel, sender, body);
        }
        if (this == PEERJS) {
            return "{\"type\":\"OFFER\",\"dst\":\"" + channel + "-" + (sender ^ 1) + "\",\"payload\":" + body + "}";
        }
        return "{\"sender\":\"" + sender + "\",\"channel\":\"" + channel + "\",\"message\":" + body + "}";
    }
}
