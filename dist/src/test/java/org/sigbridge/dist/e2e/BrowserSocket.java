package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/**
 * A browser's WebSocket as a seed page opens it, played by the JDK client: it sends frames and collects every
 * text frame it receives, parsed with the bridge's own exact-text JSON reader (so {@code 1.50} stays
 * {@code 1.50}). One per test; {@link #close()} aborts the socket.
 */
final class BrowserSocket implements AutoCloseable {

    private static final Duration CONNECT = Duration.ofSeconds(5);

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private BrowserSocket(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(CONNECT)
                .buildAsync(uri, new Collector()).orTimeout(CONNECT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Opens an envelope-dialect socket that joins {@code channel} at once ({@code ws://…/?channel=}). */
    static BrowserSocket envelopeOn(int webPort, String channel) {
        return new BrowserSocket(URI.create("ws://127.0.0.1:" + webPort + "/?channel="
                + java.net.URLEncoder.encode(channel, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Sends {@code {"id","sender","channel","message"}}; {@code messageJson} is sent as exact JSON text. */
    BrowserSocket sendEnvelope(String id, String sender, String channel, String messageJson) {
        return send("{\"id\":" + JsonValue.string(id).json() + ",\"sender\":" + JsonValue.string(sender).json()
                + ",\"channel\":" + JsonValue.string(channel).json() + ",\"message\":" + messageJson + "}");
    }

    BrowserSocket send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    /** Asks whether {@code channel} is present; returns the answer. Frames of one socket are handled in order. */
    boolean present(String channel, Duration timeout) throws InterruptedException {
        send("{\"checkPresence\":true,\"channel\":" + JsonValue.string(channel).json() + "}");
        return next(f -> f.containsKey("isChannelPresent"), timeout).get("isChannelPresent").json().equals("true");
    }

    /** The next frame matching {@code test}, parsed; frames before it that do not match are dropped. */
    Map<String, JsonValue> next(Predicate<Map<String, JsonValue>> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            String frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + timeout + "; skipped " + skipped);
            }
            Map<String, JsonValue> parsed = parse(frame);
            if (test.test(parsed)) {
                return parsed;
            }
            skipped.add(frame);
        }
    }

    /** The next whole envelope (a frame with a {@code message}), parsed. */
    Map<String, JsonValue> nextEnvelope(Duration timeout) throws InterruptedException {
        return next(f -> f.containsKey("message"), timeout);
    }

    /** The next error frame's inner object ({@code code}, {@code detail}, {@code id}). */
    Map<String, JsonValue> nextError(Duration timeout) throws InterruptedException {
        return parse(next(f -> f.containsKey("error"), timeout).get("error").json());
    }

    /** Asserts that no frame at all arrives within {@code quiet}. */
    void expectNothing(Duration quiet) throws InterruptedException {
        assertNull(frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS), "unexpected frame");
    }

    /** Frames received and not taken yet, parsed, without waiting. */
    List<Map<String, JsonValue>> drain() {
        List<String> raw = new ArrayList<>();
        frames.drainTo(raw);
        return raw.stream().map(BrowserSocket::parse).toList();
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    static Map<String, JsonValue> parse(String frame) {
        try {
            return JsonObjectReader.readObject(frame);
        } catch (InvalidJsonException e) {
            throw new AssertionError("not a JSON object frame: " + frame, e);
        }
    }

    /** Asserts {@code envelope} carries exactly this sender, channel and message text. */
    static void assertEnvelope(String sender, String channel, String messageJson, Map<String, JsonValue> envelope) {
        assertEquals(JsonValue.string(sender).json(), envelope.get("sender").json(), "sender");
        assertEquals(JsonValue.string(channel).json(), envelope.get("channel").json(), "channel");
        assertEquals(messageJson, envelope.get("message").json(), "message");
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
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
