package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real JDK WebSocket client for tests: collects whole text messages in a queue and the close status.
 * With {@code reading=false} it reads nothing until {@link #startReading}, to play a slow consumer.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(5);

    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> pinged = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean reading;

    private WsClient(URI uri, Map<String, String> headers, boolean reading) {
        this.reading = reading;
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Collector()).orTimeout(5, TimeUnit.SECONDS).join();
    }

    public static WsClient connect(URI uri) {
        return new WsClient(uri, Map.of(), true);
    }

    public static WsClient connect(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers, true);
    }

    /** A client that does not read until {@link #startReading}. */
    public static WsClient connectNotReading(URI uri) {
        return new WsClient(uri, Map.of(), false);
    }

    public WsClient send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    /** Sends unless the socket is already closed; false then. */
    public boolean trySend(String text) {
        try {
            send(text);
            return true;
        } catch (java.util.concurrent.CompletionException closedMeanwhile) {
            return false;
        }
    }

    public WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    /** The next text message; fails after {@link #WAIT}. */
    public String next() throws InterruptedException {
        String m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(m, "no message within " + WAIT);
        return m;
    }

    /** Asserts the next message is exactly {@code expected}. */
    public void expect(String expected) throws InterruptedException {
        assertEquals(expected, next());
    }

    /**
     * Asks whether {@code channel} is present and expects yes. Frames of one socket are handled in order, so
     * after this returns the bridge has handled every earlier frame of this socket (e.g. its {@code open}).
     */
    public void expectPresent(String channel) throws InterruptedException {
        send("{\"checkPresence\":true,\"channel\":" + org.sigbridge.envelope.JsonValue.string(channel).json() + "}");
        expect("{\"isChannelPresent\":true}");
    }

    /** Asserts nothing arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) throws InterruptedException {
        assertNull(messages.poll(quiet.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The close status the server sent; fails after {@code timeout}. */
    public int closeCode(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
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
                messages.add(partial.toString());
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
