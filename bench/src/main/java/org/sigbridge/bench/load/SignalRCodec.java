package org.sigbridge.bench.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the ASP.NET Core SignalR JSON hub protocol as the generator speaks it (docs/signalr.md#wire): the
 * negotiate URL, the handshake record, {@code Send(text)} invocations without an invocation id (a page's
 * {@code connection.send}, so no completion comes back), and the records the server writes. Every record ends with the
 * record separator {@code 0x1E}; one WebSocket message may carry several. Pure; the text a client sends is the seed's
 * {@code {"message":probe,"channel":room}} JSON, so it travels as a JSON string inside {@code arguments}. Probe bodies
 * are ASCII letters, digits and JSON punctuation, so escaping is {@code \ "} only.
 */
public final class SignalRCodec {
    /** The record separator that ends every hub message. */
    public static final char RS = '\u001e';
    /** The client's handshake: JSON protocol, version 1. */
    public static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;
    /** The client method the hub's broadcast invokes. */
    public static final String CLIENT_METHOD = "onMessageReceived";

    private static final String BROADCAST_TARGET = "\"target\":\"" + CLIENT_METHOD + "\"";
    private static final String ARGUMENTS = "\"arguments\":[\"";

    private SignalRCodec() {
    }

    /** What one server record is to the generator. */
    public enum Kind {
        /** {@code {}}: the handshake was accepted. */
        HANDSHAKE_OK,
        /** {@code {"error":…}} before the handshake, or {@code {"type":7…}}: the server refuses or closes. */
        REFUSED,
        /** {@code {"type":1,"target":"onMessageReceived",…}}: a broadcast; its text is in {@link Record#text()}. */
        BROADCAST,
        /** {@code {"type":6}}, completions and anything else that carries no probe. */
        OTHER
    }

    /** One server record: its kind, and for a broadcast the text argument unescaped. */
    public record Record(Kind kind, String text) {
    }

    /** {@code http://host:port/hubs/{hub}/negotiate?negotiateVersion=1} for a hub WebSocket URL {@code ws://host:port/hubs/{hub}}. */
    public static URI negotiateUri(URI hubSocket) {
        String scheme = "wss".equals(hubSocket.getScheme()) ? "https" : "http";
        return URI.create(scheme + "://" + hubSocket.getRawAuthority() + hubSocket.getRawPath() + "/negotiate?negotiateVersion=1");
    }

    /**
     * The {@code connectionToken} of a version-1 negotiate answer (the {@code connectionId} of a version-0 one).
     *
     * @throws IllegalArgumentException when the answer names neither
     */
    public static String connectionToken(String negotiateAnswer) {
        String token = stringField(negotiateAnswer, "connectionToken");
        if (token == null) {
            token = stringField(negotiateAnswer, "connectionId");
        }
        if (token == null) {
            throw new IllegalArgumentException("negotiate answered without a connection token: " + negotiateAnswer);
        }
        return token;
    }

    /** {@code ws://host:port/hubs/{hub}?id=token}. Tokens are base64url, so they need no escaping. */
    public static URI socketUri(URI hubSocket, String token) {
        return URI.create(hubSocket + "?id=" + token);
    }

    /** The {@code Send} invocation of the seed's {@code {"message":body,"channel":channel}} text, with its separator. */
    public static String send(String channel, String body) {
        String text = "{\"message\":" + body + ",\"channel\":\"" + channel + "\"}";
        return "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + escape(text) + "\"]}" + RS;
    }

    /** Splits one WebSocket message into its records and reads each; a trailing part without separator is ignored. */
    public static List<Record> records(String message) {
        List<Record> out = new ArrayList<>(1);
        int start = 0;
        int end;
        while ((end = message.indexOf(RS, start)) >= 0) {
            out.add(read(message.substring(start, end)));
            start = end + 1;
        }
        return out;
    }

    /** Reads one record (without its separator). */
    static Record read(String record) {
        if (record.equals("{}")) {
            return new Record(Kind.HANDSHAKE_OK, "");
        }
        if (record.startsWith("{\"error\"") || record.startsWith("{\"type\":7")) {
            return new Record(Kind.REFUSED, record);
        }
        if (record.startsWith("{\"type\":1,") && record.contains(BROADCAST_TARGET)) {
            int at = record.indexOf(ARGUMENTS);
            int close = record.lastIndexOf("\"]");
            if (at >= 0 && close > at) {
                return new Record(Kind.BROADCAST, unescape(record.substring(at + ARGUMENTS.length(), close)));
            }
        }
        return new Record(Kind.OTHER, record);
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && i + 1 < text.length()) {
                ch = text.charAt(++i);
            }
            sb.append(ch);
        }
        return sb.toString();
    }

    /** The value of {@code "name":"…"} in a flat JSON object whose strings hold no escapes; {@code null} if absent. */
    private static String stringField(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }
}
