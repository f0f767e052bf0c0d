package org.sigbridge.web.socketio.overnodejs;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * socketio-over-nodejs (docs/socketio-09.md "socketio-over-nodejs"): the root socket announces channels
 * ({@code new-channel {channel, sender}}) and asks for them ({@code presence c} → root event {@code presence} with
 * {@code true}/{@code false}); namespace {@code /c} is hub channel {@code c}, where {@code message {sender, data}} is
 * published with {@code data} as the message and {@code sender} as the sender, and reaches every other member as
 * {@code message} with {@code data} only. A channel is present from its first announcement until the announcing
 * connection's root socket disconnects; a namespace socket that recorded a username (the {@code sender} inside the
 * {@code data} of its first message) is announced to the other local sockets of its namespace as {@code user-left}
 * when it disconnects. Thread-safe.
 */
public final class OverNodeJsFamily implements SocketFamily {

    private final String adapter;
    private final AdapterContext hub;
    private final WebStats stats;
    private final int maxAnnounced;
    /** Announced channels and the root socket (endpoint id) that announced each. */
    private final Map<String, String> announced = new ConcurrentHashMap<>();
    /** The local namespace sockets of each channel, for {@code user-left}. */
    private final Map<String, Set<ChannelMember>> local = new ConcurrentHashMap<>();

    /**
     * @param maxAnnounced channels one connection may announce (the web adapter's {@code max-channels-per-connection})
     */
    public OverNodeJsFamily(String adapter, AdapterContext hub, WebStats stats, int maxAnnounced) {
        this.adapter = adapter;
        this.hub = hub;
        this.stats = stats;
        this.maxAnnounced = maxAnnounced;
    }

    @Override
    public String name() {
        return "socketio-over-nodejs";
    }

    /** Whether {@code channel} is announced now. */
    public boolean present(String channel) {
        return announced.containsKey(channel);
    }

    /** Verified identity: namespace {@code /c} (hub channel {@code c}) must be within the token's {@code channels}. */
    @Override
    public java.util.Optional<String> refusal(SioSocket socket) {
        if (socket.namespace().equals("/")) {
            return java.util.Optional.empty();
        }
        org.sigbridge.web.identity.SenderGuard.Check scope = socket.guard().channel(socket.namespace().substring(1));
        return scope.allowed() ? java.util.Optional.empty() : java.util.Optional.of(scope.detail());
    }

    @Override
    public Member connect(SioSocket socket) {
        if (socket.namespace().equals("/")) {
            return new Root(socket);
        }
        ChannelMember member = new ChannelMember(this, socket, socket.namespace().substring(1));
        local.computeIfAbsent(member.channel(), c -> ConcurrentHashMap.newKeySet()).add(member);
        member.join();
        return member;
    }

    AdapterContext hub() {
        return hub;
    }

    String adapter() {
        return adapter;
    }

    WebStats stats() {
        return stats;
    }

    /** A namespace socket left: forgotten locally, and its username told to the others of its namespace. */
    void left(ChannelMember member, JsonValue username) {
        Set<ChannelMember> members = local.get(member.channel());
        if (members == null) {
            return;
        }
        members.remove(member);
        if (members.isEmpty()) {
            local.remove(member.channel(), members);
        }
        if (username != null && !username.isFalsy()) {
            for (ChannelMember other : members) {
                other.socket().emit("user-left", List.of(username));
            }
        }
    }

    /** An error value {@code {"code","detail"}} (docs/design.md error codes). */
    static JsonValue error(ErrorCode code, String detail) {
        return error(code, detail, null);
    }

    /**
     * An error value {@code {"code","detail","id"}}: {@code id} names the envelope the bridge made of an accepted
     * {@code message} (docs/design.md §2.4), or is left out when the error is about no envelope.
     */
    static JsonValue error(ErrorCode code, String detail, String id) {
        return new JsonValue("{\"code\":" + JsonValue.string(code.wire()).json() + ",\"detail\":" + JsonValue.string(detail).json()
                + (id == null ? "" : ",\"id\":" + JsonValue.string(id).json()) + "}");
    }

    /** The root socket of a connection: {@code new-channel} and {@code presence}. Calls come from its session's reader. */
    private final class Root implements Member {
        private final SioSocket socket;
        private final Set<String> mine = new HashSet<>();

        Root(SioSocket socket) {
            this.socket = socket;
        }

        @Override
        public void onEvent(SioPacket event) {
            List<JsonValue> args = event.eventArgs();
            switch (event.eventName()) {
                case "new-channel" -> announce(args.isEmpty() ? null : args.get(0), event);
                case "presence" -> {
                    boolean present = !args.isEmpty() && args.get(0).isString() && present(args.get(0).asText());
                    socket.emit("presence", List.of(new JsonValue(Boolean.toString(present))));
                }
                default -> stats.countIgnoredFrame();
            }
        }

        private void announce(JsonValue value, SioPacket event) {
            String channel = null;
            if (value != null && value.isObject()) {
                try {
                    JsonValue c = JsonObjectReader.readObject(value.json()).get("channel");
                    channel = c != null && c.isString() && !c.asText().isEmpty() ? c.asText() : null;
                } catch (InvalidJsonException e) {
                    channel = null;
                }
            }
            if (channel == null) {
                stats.countBadFrame();
                reply(event, error(ErrorCode.INVALID_FRAME, "new-channel needs {channel, sender} with a channel name"));
                return;
            }
            if (!mine.contains(channel) && mine.size() >= maxAnnounced) {
                reply(event, error(ErrorCode.TOO_MANY_CHANNELS, "a connection may announce at most " + maxAnnounced + " channels"));
                return;
            }
            if (announced.putIfAbsent(channel, socket.endpointId()) == null) {
                mine.add(channel);
            }
            if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of());
            }
        }

        private void reply(SioPacket event, JsonValue error) {
            if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of(error));
            }
            socket.emit("error", List.of(error));
        }

        @Override
        public void onDisconnect() {
            for (String channel : mine) {
                announced.remove(channel, socket.endpointId());
            }
            mine.clear();
        }
    }
}
