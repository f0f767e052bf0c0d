package org.sigbridge.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.Frames;

/**
 * A client of the channels dialect with the positions extension, as {@code sigbridge.js} speaks it (docs/dialects.md
 * §5.4): it opts in to positions, keeps its session ids (the newest eight) and the position of the last message it got,
 * and after losing its socket {@link #resume resumes} on any instance with {@code {"resume":{channel, position,
 * sessions}}}. It sends messages {@code "<name>-<n>"} and records, per sender, every message it gets in arrival order,
 * so a test can count what was lost, doubled or out of order.
 *
 * <p>The JDK's WebSocket thread handles frames in order and only records; sending is for one thread at a time.
 */
final class ResumingClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    final String name;
    private final String channel;
    private final List<String> sessions = new CopyOnWriteArrayList<>();
    /** Sender → the numbers received from it, in arrival order. */
    private final Map<String, List<Integer>> received = new ConcurrentHashMap<>();
    private final java.util.Set<String> markers = ConcurrentHashMap.newKeySet();
    private final List<String> resumes = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> position = new AtomicReference<>();
    private volatile boolean heard;
    private volatile WebSocket socket;
    private volatile boolean broken;
    private int next;

    private ResumingClient(String name, String channel) {
        this.name = name;
        this.channel = channel;
    }

    /** Connects, opts in to positions and opens {@code channel}; returns once joined. */
    static ResumingClient open(String name, URI uri, String channel) throws Exception {
        ResumingClient c = new ResumingClient(name, channel);
        c.connect(uri);
        c.send("{\"open\":true,\"channel\":" + JsonValue.string(channel).json() + "}");
        Poll.until(name + " joined with a position", WAIT, () -> c.position.get() != null);
        return c;
    }

    private void connect(URI uri) throws Exception {
        int before = sessions.size();
        broken = false;
        heard = false;
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
        send("{\"positions\":true}");
        Poll.until(name + " got its session id", WAIT, () -> sessions.size() > before);
    }

    /**
     * A new socket to {@code uri} that resumes the channel from the last position; returns whether the bridge answered
     * {@code recovered: true} (after the replayed messages, which are recorded).
     */
    boolean resume(URI uri) throws Exception {
        if (socket != null) {
            socket.abort();
        }
        int before = resumes.size();
        String from = position.get();
        connect(uri);
        send("{\"resume\":{\"channel\":" + JsonValue.string(channel).json() + ",\"position\":" + JsonValue.string(from).json()
                + ",\"sessions\":[" + String.join(",", sessions.stream().map(s -> JsonValue.string(s).json()).toList()) + "]}}");
        String answer = Poll.until(name + " was answered its resume", WAIT, Duration.ofMillis(10),
                () -> resumes.size() > before ? resumes.get(before) : null, a -> a != null);
        return answer.contains("\"recovered\":true");
    }

    /** Aborts the socket, as a network that breaks does. */
    void drop() {
        socket.abort();
        broken = true;
    }

    /** Sends the next message {@code "<name>-<n>"}; false when the socket is broken. */
    boolean sendNext() {
        String id = name + "-" + next++;
        return trySend("{\"id\":\"" + id + "\",\"channel\":" + JsonValue.string(channel).json() + ",\"data\":\"" + id + "\"}");
    }

    /** How many messages {@link #sendNext} tried. */
    int sent() {
        return next;
    }

    /** Sends the end marker {@code "<name>-end"}. */
    void sendMarker() {
        send("{\"channel\":" + JsonValue.string(channel).json() + ",\"data\":\"" + name + "-end\"}");
    }

    boolean sawMarkerOf(String sender) {
        return markers.contains(sender);
    }

    boolean isBroken() {
        return broken;
    }

    /** The numbers received from {@code sender}, in arrival order. */
    List<Integer> from(String sender) {
        return new ArrayList<>(received.getOrDefault(sender, List.of()));
    }

    String position() {
        return position.get();
    }

    /** The session strings the bridge answered, oldest first (docs/dialects.md §5.4). */
    List<String> sessions() {
        return new ArrayList<>(sessions);
    }

    /**
     * A new socket to {@code uri} that resumes the channel naming {@code sessions} instead of its own (a client that
     * claims someone else's); returns whether it was recovered.
     */
    boolean resumeNaming(URI uri, List<String> claimed) throws Exception {
        sessions.clear();
        sessions.addAll(claimed);
        return resume(uri);
    }

    private void send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    private boolean trySend(String text) {
        if (broken) {
            return false;
        }
        try {
            send(text);
            return true;
        } catch (RuntimeException e) {
            broken = true;
            return false;
        }
    }

    private void onFrame(String text) {
        Map<String, JsonValue> frame = Frames.parse(text);
        if (frame.containsKey("session")) {
            sessions.add(frame.get("session").asText());
            if (sessions.size() > 8) {
                sessions.remove(0);
            }
        } else if (frame.containsKey("joined")) {
            JsonValue p = Frames.parse(frame.get("joined").json()).get("position");
            if (position.get() == null && p != null && p.isString()) {
                position.set(p.asText());
            }
        } else if (frame.containsKey("resumed")) {
            Map<String, JsonValue> r = Frames.parse(frame.get("resumed").json());
            if (!"true".equals(r.get("recovered").json()) && !heard && r.get("position").isString()) {
                position.set(r.get("position").asText());
            }
            resumes.add(frame.get("resumed").json());
        } else if (frame.containsKey("position") && frame.containsKey("data")) {
            heard = true;
            position.set(frame.get("position").asText());
            String data = frame.get("data").asText();
            int dash = data.lastIndexOf('-');
            String sender = data.substring(0, dash);
            String tail = data.substring(dash + 1);
            if (tail.equals("end")) {
                markers.add(sender);
            } else {
                received.computeIfAbsent(sender, s -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(tail));
            }
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (webSocket == socket) {
                    onFrame(text);
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (webSocket == socket) {
                broken = true;
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (webSocket == socket) {
                broken = true;
            }
        }
    }
}
