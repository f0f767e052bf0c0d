package org.sigbridge.web.socketio.signalmaster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;
import org.sigbridge.web.SignalmasterSettings;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;

/**
 * signal-master's server (SimpleWebRTC; docs/dialects.md §6.5), on hub channels: a room is the channel of its name, a
 * client is a hub endpoint whose participant id is its socket id (so that {@code message} {@code to} a socket id is an
 * addressed delivery, docs/design.md §2.5, and reaches members on other bridges, XMPP or SIP alike). The events are in
 * {@link SignalmasterClient}. Thread-safe: the registry of this bridge's clients (their resources, for room
 * descriptions) is a concurrent map.
 */
public final class SignalmasterFamily implements SocketFamily {

    /** A client's resources until it shares its screen: signal-master's initial {@code client.resources}. */
    static final String DEFAULT_RESOURCES = "{\"screen\":false,\"video\":true,\"audio\":false}";

    final String adapter;
    final AdapterContext hub;
    final WebStats stats;
    private final IceServers ice;
    private final Map<String, SignalmasterClient> clients = new ConcurrentHashMap<>();

    public SignalmasterFamily(String adapter, AdapterContext hub, WebStats stats, SignalmasterSettings settings) {
        this.adapter = adapter;
        this.hub = hub;
        this.stats = stats;
        this.ice = new IceServers(settings, hub.clock());
    }

    @Override
    public String name() {
        return "signalmaster";
    }

    /** A socket that speaks signalmaster from the start: greeted, then a client. */
    @Override
    public Member connect(SioSocket socket) {
        greet(socket, null);
        return client(socket);
    }

    /**
     * What signal-master emits as a client connects, in order: {@code stunservers}, then {@code turnservers}.
     *
     * @param origin the page's {@code Origin} (for {@code turn-origins}), or {@code null}
     */
    void greet(SioSocket socket, String origin) {
        socket.emit("stunservers", List.of(ice.stun()));
        socket.emit("turnservers", List.of(ice.turn(origin)));
    }

    /** A new client for a socket already greeted. */
    SignalmasterClient client(SioSocket socket) {
        SignalmasterClient client = new SignalmasterClient(this, socket);
        clients.put(socket.id(), client);
        return client;
    }

    void forget(SignalmasterClient client) {
        clients.remove(client.socketId(), client);
    }

    SignalmasterClient local(String socketId) {
        return clients.get(socketId);
    }

    /**
     * The room description of a {@code join} ack, {@code {"clients":{<id>:{screen,video,audio},…}}}: every participant
     * of the channel now (the joiner is not yet one), this bridge's clients with their resources, any other participant
     * (another dialect's page, an XMPP occupant, a SIP member) with the initial resources.
     */
    JsonValue describe(String room) {
        Map<String, String> members = new LinkedHashMap<>();
        for (Participant p : hub.participants(room)) {
            SignalmasterClient c = clients.get(p.id());
            members.put(p.id(), c != null ? c.resources() : DEFAULT_RESOURCES);
        }
        StringBuilder sb = new StringBuilder("{\"clients\":{");
        members.forEach((id, resources) -> sb.append(sb.length() == 12 ? "" : ",").append(JsonValue.string(id).json()).append(':').append(resources));
        return new JsonValue(sb.append("}}").toString());
    }

    /** A new room name for {@code create} without one: a UUID, as signal-master's. */
    static String newRoomName() {
        return UUID.randomUUID().toString();
    }

    /** The fields of an object, or none. */
    static Map<String, JsonValue> fields(JsonValue value) {
        try {
            return JsonObjectReader.readObject(value.json());
        } catch (InvalidJsonException notAnObject) {
            return Map.of();
        }
    }
}
