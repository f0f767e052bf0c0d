package org.sigbridge.cluster;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An XHR-Signaling page's requests (docs/dialects.md §4) from the test's thread: {@code PostData} and {@code LongPoll}
 * as form posts, keeping only the bridge's {@code sigbridge-xhr} session cookie (never a balancer's stickiness
 * cookie), so that a balancer may send each request to any instance. It records every delivered message
 * {@code <sender>-<n>} per sender, each answer's {@code ID} (which must grow, as the seed page requires), and end
 * markers ({@code <sender>-end}). One thread at a time.
 */
final class XhrPoller {

    /** The channels-dialect payload {@code "<sender>-<n>"} inside the envelope JSON that {@code Message} carries as a string. */
    private static final Pattern PAYLOAD = Pattern.compile("\\\\\"message\\\\\":\\\\\"([a-z]+)-(\\d+|end)\\\\\"");
    private static final Pattern ID = Pattern.compile("^\\{\"ID\":(\\d+),");

    record Reply(int status, String body) {
    }

    final String name;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String cookie;
    private long lastId;
    private final Map<String, List<Integer>> got = new HashMap<>();
    private final Set<String> markers = ConcurrentHashMap.newKeySet();

    XhrPoller(String name) {
        this.name = name;
    }

    /** {@code PostData} with {@code message} = the envelope JSON. */
    Reply post(URI base, String envelopeJson) throws Exception {
        return request(base.resolve("/Home/PostData"), "message=" + URLEncoder.encode(envelopeJson, StandardCharsets.UTF_8));
    }

    /** {@code LongPoll?wait=ms[&channel=c]}; a delivered message is recorded. */
    Reply poll(URI base, long waitMillis, String channel) throws Exception {
        String query = "?wait=" + waitMillis + (channel == null ? "" : "&channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
        Reply r = request(base.resolve("/Home/LongPoll" + query), "message=undefined");
        if (r.status() == 200 && r.body().startsWith("{")) {
            record(r.body());
        }
        return r;
    }

    private void record(String body) {
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new AssertionError(name + ": an answer without ID: " + body);
        }
        long n = Long.parseLong(id.group(1));
        if (n <= lastId) {
            throw new AssertionError(name + ": ID " + n + " after " + lastId + " (the seed page would drop it): " + body);
        }
        lastId = n;
        Matcher m = PAYLOAD.matcher(body);
        if (!m.find()) {
            throw new AssertionError(name + ": not a test message: " + body);
        }
        if (m.group(2).equals("end")) {
            markers.add(m.group(1));
        } else {
            got.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
        }
    }

    /** The numbers received from {@code sender}, in arrival order. */
    List<Integer> from(String sender) {
        return List.copyOf(got.getOrDefault(sender, List.of()));
    }

    boolean sawMarkerOf(String sender) {
        return markers.contains(sender);
    }

    /** The session cookie's value, once the bridge set it. */
    String session() {
        return cookie == null ? null : cookie.substring(cookie.indexOf('=') + 1);
    }

    private Reply request(URI uri, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("set-cookie")) {
            if (c.startsWith("sigbridge-xhr=")) {
                cookie = c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
            }
        }
        return new Reply(r.statusCode(), r.body());
    }
}
