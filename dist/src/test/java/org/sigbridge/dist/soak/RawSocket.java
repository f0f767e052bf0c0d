package org.sigbridge.dist.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One browser WebSocket of the soak, played by the JDK client on a shared {@link HttpClient}: every whole text frame
 * goes to the {@code onFrame} hook (on the client's thread: it only records and may answer with {@link #send}) and to a
 * queue the cycle reads handshakes from with {@link #await}. Used from one cycle thread; {@link #leave()} closes with
 * 1000 as a page does, {@link #drop()} aborts the TCP connection as a lost network does. Both idempotent.
 */
final class RawSocket implements AutoCloseable {

    static final Duration CONNECT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(CONNECT).build();

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private RawSocket(URI uri, Consumer<String> onFrame) {
        this.socket = CLIENT.newWebSocketBuilder().connectTimeout(CONNECT).buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String frame = partial.toString();
                    partial.setLength(0);
                    onFrame.accept(frame);
                    frames.add(frame);
                }
                ws.request(1);
                return null;
            }
        }).orTimeout(CONNECT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    static RawSocket open(URI uri, Consumer<String> onFrame) {
        return new RawSocket(uri, onFrame);
    }

    static HttpClient http() {
        return CLIENT;
    }

    /** Sends one text frame; waits at most {@link #CONNECT} for the send to complete. */
    void send(String text) {
        socket.sendText(text, true).orTimeout(CONNECT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends from the client's own thread (a pong), without waiting. */
    void sendLater(String text) {
        socket.sendText(text, true);
    }

    /** The next frame matching {@code test}; earlier frames are dropped from the queue (the hook saw them). */
    String await(Predicate<String> test, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            String f = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no " + what + " within " + timeout + "; got " + skipped);
            }
            if (test.test(f)) {
                return f;
            }
            if (skipped.size() < 10) {
                skipped.add(f);
            }
        }
    }

    void leave() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((ws, e) -> socket.abort());
        }
    }

    void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        leave();
    }
}
