package org.sigbridge.testkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sigbridge.envelope.JsonValue;

/**
 * A browser's WebSocket as a seed page opens it, played by the JDK client. It collects every whole text
 * frame in an unbounded queue (a test reads them with {@link #next()} or the parsed {@link #next(Predicate,
 * Duration)}) and records the close status the server sent.
 *
 * <p>Contract: one client per test, used from the test thread; frames arrive on the JDK client's thread and
 * are only enqueued there. Every wait is bounded ({@link #WAIT} or the caller's timeout) and fails with an
 * {@link AssertionError}. {@link #close()} aborts the socket and is idempotent; after it nothing new
 * arrives. A client made by {@link #connectNotReading} requests no frames until {@link #startReading}, to
 * play a slow consumer.
 */
public final class WsClient implements AutoCloseable {

    /** The default bound on connecting, sending and waiting for a frame. */
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> pinged = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean reading;

    private WsClient(URI uri, Map<String, String> headers, boolean reading) {
        this.reading = reading;
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Collector()).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    public static WsClient connect(URI uri) {
        return new WsClient(uri, Map.of(), true);
    }

    /** Connects with extra handshake headers (e.g. {@code Origin}, {@code Authorization}). */
    public static WsClient connect(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers, true);
    }

    /** A client that does not read until {@link #startReading}. */
    public static WsClient connectNotReading(URI uri) {
        return new WsClient(uri, Map.of(), false);
    }

    /** Opens an envelope-dialect socket that joins {@code channel} at once ({@code ws://…/?channel=}). */
    public static WsClient envelopeOn(int webPort, String channel) {
        return connect(URI.create("ws://127.0.0.1:" + webPort + "/?channel="
                + URLEncoder.encode(channel, StandardCharsets.UTF_8)));
    }

    public WsClient send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /**
     * Sends one text message as several frames: the first fragment as a TEXT frame, the rest as CONTINUATION
     * frames, the last with FIN set (RFC 6455 §5.4).
     */
    public WsClient sendFragments(String... fragments) {
        for (int i = 0; i < fragments.length; i++) {
            socket.sendText(fragments[i], i == fragments.length - 1).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
        return this;
    }

    /** Sends unless the socket is already closed; false then. */
    public boolean trySend(String text) {
        try {
            send(text);
            return true;
        } catch (CompletionException closedMeanwhile) {
            return false;
        }
    }

    public WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /** Sends {@code {"id","sender","channel","message"}}; {@code messageJson} is sent as exact JSON text. */
    public WsClient sendEnvelope(String id, String sender, String channel, String messageJson) {
        return send("{\"id\":" + JsonValue.string(id).json() + ",\"sender\":" + JsonValue.string(sender).json()
                + ",\"channel\":" + JsonValue.string(channel).json() + ",\"message\":" + messageJson + "}");
    }

    /** The next text frame as received; fails after {@link #WAIT}. */
    public String next() throws InterruptedException {
        String m = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(m, "no message within " + WAIT);
        return m;
    }

    /** Asserts the next frame is exactly {@code expected}. */
    public void expect(String expected) throws InterruptedException {
        assertEquals(expected, next());
    }

    /** The next frame matching {@code test}, parsed; frames before it that do not match are dropped. */
    public Map<String, JsonValue> next(Predicate<Map<String, JsonValue>> test, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            String frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + timeout + "; skipped " + skipped);
            }
            Map<String, JsonValue> parsed = Frames.parse(frame);
            if (test.test(parsed)) {
                return parsed;
            }
            skipped.add(frame);
        }
    }

    /** The next whole envelope (a frame with a {@code message}), parsed. */
    public Map<String, JsonValue> nextEnvelope(Duration timeout) throws InterruptedException {
        return next(f -> f.containsKey("message"), timeout);
    }

    /** The next error frame's inner object ({@code code}, {@code detail}, {@code id}). */
    public Map<String, JsonValue> nextError(Duration timeout) throws InterruptedException {
        return Frames.parse(next(f -> f.containsKey("error"), timeout).get("error").json());
    }

    /**
     * Asks whether {@code channel} is present and expects yes as the very next frame. Frames of one socket
     * are handled in order, so after this returns the bridge has handled every earlier frame of this socket.
     */
    public void expectPresent(String channel) throws InterruptedException {
        send(presenceQuestion(channel));
        expect("{\"isChannelPresent\":true}");
    }

    /** Asks whether {@code channel} is present and returns the answer, skipping frames before it. */
    public boolean present(String channel, Duration timeout) throws InterruptedException {
        send(presenceQuestion(channel));
        return next(f -> f.containsKey("isChannelPresent"), timeout).get("isChannelPresent").json().equals("true");
    }

    /** Asserts that no frame at all arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) throws InterruptedException {
        assertNull(frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS), "unexpected frame");
    }

    /**
     * The one frame containing {@code marker}: waits up to {@code wait} for it, then {@code quiet} more, and fails unless
     * exactly one such frame came (a report told once, docs/design.md §2.4). Takes every frame read meanwhile.
     */
    public String onlyFrameContaining(String marker, Duration wait, Duration quiet) throws InterruptedException {
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (read.stream().noneMatch(f -> f.contains(marker))) {
            long left = deadline - System.nanoTime();
            String f = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
            if (f == null) {
                break;
            }
            read.add(f);
        }
        Thread.sleep(quiet.toMillis());
        frames.drainTo(read);
        List<String> matching = read.stream().filter(f -> f.contains(marker)).toList();
        assertEquals(1, matching.size(), "frames containing " + marker + " (exactly one expected): " + read);
        return matching.get(0);
    }

    /** Frames received and not taken yet, parsed, without waiting. */
    public List<Map<String, JsonValue>> drain() {
        List<String> raw = new ArrayList<>();
        frames.drainTo(raw);
        return raw.stream().map(Frames::parse).toList();
    }

    /** Frames received and not taken yet, as text, without waiting (for protocols whose frames are not JSON objects). */
    public List<String> drainText() {
        List<String> raw = new ArrayList<>();
        frames.drainTo(raw);
        return raw;
    }

    /** The close status the server sent (-1 after a transport error); fails after {@code timeout}. */
    public int closeCode(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Whether the server pinged us within {@code timeout}. */
    public boolean pingedWithin(Duration timeout) {
        try {
            pinged.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public void startReading() {
        reading = true;
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static String presenceQuestion(String channel) {
        return "{\"checkPresence\":true,\"channel\":" + JsonValue.string(channel).json() + "}";
    }

    /** Runs on the JDK client's thread; only enqueues. */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pinged.complete(null);
            return null; // the JDK answers with a pong
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
