package org.sigbridge.web.socketio.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Fields;

/**
 * The query parameters of a socket.io request as the layers above read them ({@code EIO}, {@code sid}, {@code channel},
 * {@code userid}, {@code msgEvent}, the identity token, ...): the first value of each name, in request order, names
 * case-sensitive, as Jetty's {@link Request#extractQueryParameters} decodes them. Immutable; any thread.
 *
 * <p>Why not Jetty's {@link Fields}: a session keeps its handshake query as long as it lives, and Jetty's form of it (a
 * linked hash map, with an entry, a field, a list and two strings per parameter) held about 0.8 KB of every idle
 * session; this holds one array, and the names and the common values of the parameters socket.io and its families use
 * are shared constants, so a session's own strings are the values only it has (its channel, its user id). Read with
 * {@link #of(Request)}, a query leaves no decoded copy cached on the request, where a held long poll would keep it
 * (docs/benchmarks.md, "Idle memory per socket.io session, session 12").
 */
public final class HandshakeQuery {

    /** Parameter names socket.io, Engine.IO and the families read: kept once, not once per session. */
    private static final String[] NAMES = {"EIO", "transport", "t", "sid", "b64", "j", "channel", "userid", "msgEvent",
        "socketCustomEvent", "extra", "maxParticipantsAllowed", "autoCloseEntireSession", "enableScalableBroadcast",
        "maxRelayLimitPerUser", "token", "family", "i", "jsonp", "room", "sessionid"};
    /** Values many sessions send alike. */
    private static final String[] VALUES = {"websocket", "polling", "3", "4", "0", "1", "true", "false", ""};

    public static final HandshakeQuery EMPTY = new HandshakeQuery(new String[0]);

    /** name, value, name, value, ...: the first value of each name, in request order. */
    private final String[] pairs;

    private HandshakeQuery(String[] pairs) {
        this.pairs = pairs;
    }

    /**
     * The query of {@code request}, decoded by Jetty as {@link Request#extractQueryParameters(Request, java.nio.charset.Charset)}
     * decodes it (UTF-8, the connector's URI compliance: a malformed query fails the same way), without leaving Jetty's
     * decoded copy among the request's attributes.
     */
    public static HandshakeQuery of(Request request) {
        Request uncached = new Request.AttributesWrapper(request, new Attributes.Mapped());
        return of(Request.extractQueryParameters(uncached, StandardCharsets.UTF_8));
    }

    /** The first value of each of {@code fields}, in their order. */
    public static HandshakeQuery of(Fields fields) {
        if (fields.getSize() == 0) {
            return EMPTY;
        }
        String[] pairs = new String[2 * fields.getSize()];
        int i = 0;
        for (Fields.Field field : fields) {
            pairs[i++] = shared(field.getName(), NAMES);
            pairs[i++] = shared(field.getValue(), VALUES);
        }
        return new HandshakeQuery(i == pairs.length ? pairs : Arrays.copyOf(pairs, i));
    }

    /** A query of the given names and values, in that order (a name given twice keeps its first value). */
    public static HandshakeQuery of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Fields fields = new Fields(true);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(fields);
    }

    private static String shared(String s, String[] constants) {
        if (s == null) {
            return null;
        }
        for (String c : constants) {
            if (c.equals(s)) {
                return c;
            }
        }
        return s;
    }

    /** The first value of {@code name}, or {@code null} when the query does not have it. */
    public String getValue(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** Parameters in the query. */
    public int size() {
        return pairs.length / 2;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            sb.append(i == 0 ? "" : "&").append(pairs[i]).append('=').append(pairs[i + 1]);
        }
        return sb.toString();
    }
}
