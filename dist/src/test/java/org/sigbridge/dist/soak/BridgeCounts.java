package org.sigbridge.dist.soak;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the running bridge says about itself over HTTP on its web port: open browser connections (the sum of
 * {@code sigbridge_web_connections} over dialects, {@code /metrics}), open channels and their participants
 * ({@code GET /admin/channels}, docs/operations.md §4). Loopback, no admin token. Called from any test thread.
 */
final class BridgeCounts {

    private static final Pattern CONNECTIONS = Pattern.compile("(?m)^sigbridge_web_connections\\{[^}]*\\} ([0-9.eE+]+)$");
    private static final Pattern PARTICIPANTS = Pattern.compile("\"participants\":\\{([^}]*)\\}");
    /** An element of a participants list: a string followed by {@code ,} or {@code ]} (keys are followed by {@code :}). */
    private static final Pattern MEMBER = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"(?=[,\\]])");

    private final int port;

    BridgeCounts(int port) {
        this.port = port;
    }

    int connections() throws Exception {
        Matcher m = CONNECTIONS.matcher(get("/metrics"));
        double n = 0;
        while (m.find()) {
            n += Double.parseDouble(m.group(1));
        }
        return (int) n;
    }

    String channelsJson() throws Exception {
        return get("/admin/channels");
    }

    static int channels(String json) {
        return count(Pattern.compile("\"route\":").matcher(json));
    }

    /** Every participant of every channel, all adapters. */
    static int participants(String json) {
        int n = 0;
        Matcher m = PARTICIPANTS.matcher(json);
        while (m.find()) {
            n += count(MEMBER.matcher(m.group(1)));
        }
        return n;
    }

    /** The participants block of {@code channel} ({@code "web":[…],"xmpp":[…]}), or null when it is not open. */
    static String participantsOf(String json, String channel) {
        int at = json.indexOf("\"name\":\"" + channel + "\"");
        if (at < 0) {
            return null;
        }
        Matcher m = PARTICIPANTS.matcher(json);
        return m.find(at) ? m.group(1) : null;
    }

    /** How many participants {@code channel} has on adapter {@code adapter} (0 when not open). */
    static int participantsOn(String json, String channel, String adapter) {
        String block = participantsOf(json, channel);
        if (block == null) {
            return 0;
        }
        Matcher list = Pattern.compile("\"" + adapter + "\":\\[([^\\]]*)\\]").matcher(block);
        return list.find() ? count(Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"").matcher(list.group(1))) : 0;
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = RawSocket.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(RawSocket.CONNECT).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
