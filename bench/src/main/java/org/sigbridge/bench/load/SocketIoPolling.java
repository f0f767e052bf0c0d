package org.sigbridge.bench.load;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * One socket.io client's Engine.IO 4 long-polling transport (docs/dialects.md §7.3), as socket.io-client 4 runs it
 * with {@code transports: ['polling']}: the handshake GET answers the open packet and its {@code sid}; then one GET is
 * always pending (each answer is a payload of {@code 0x1E}-separated packets, handed to the {@link BenchClient} one by
 * one, and the next GET goes out at once), and at most one POST is in flight: frames sent meanwhile are queued and go
 * together in the next POST, as the client's write buffer does (Engine.IO servers refuse overlapping POSTs).
 *
 * <p>Thread-safety: {@link #send} may be called from any thread; GET and POST completions run on the Jetty client's
 * threads, one GET completion at a time per client. Not reusable after {@link #close()}.
 */
final class SocketIoPolling implements BenchClient.Outbound {
    /** Longest POST payload the generator builds: well under the servers' default 1 MB {@code maxHttpBufferSize}. */
    private static final int MAX_POST_CHARS = 256 * 1024;
    private static final String TEXT = "text/plain;charset=UTF-8";

    private final HttpClient http;
    private final BenchClient client;
    private final URI handshake;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private volatile URI session;
    private volatile boolean open;
    private boolean posting; // guarded by queue

    private record Pending(String frame, Runnable onFailure) {
    }

    /** @param handshake the polling URL without {@code sid} ({@link SocketIoCodec#pollingUri}) */
    SocketIoPolling(HttpClient http, BenchClient client, URI handshake) {
        this.http = http;
        this.client = client;
        this.handshake = handshake;
    }

    /** Sends the handshake GET; the client is attached when the open packet arrives. Returns at once. */
    void start() {
        get(handshake, 30).whenComplete((body, failure) -> {
            if (failure != null) {
                client.opened().completeExceptionally(failure);
                return;
            }
            List<String> packets = SocketIoCodec.packets(body);
            try {
                session = SocketIoCodec.sessionUri(handshake, SocketIoCodec.sid(packets.isEmpty() ? "" : packets.get(0)));
            } catch (IllegalArgumentException e) {
                client.opened().completeExceptionally(e);
                return;
            }
            open = true;
            client.attach(this);
            packets.forEach(client::onText); // the open packet: the client answers with its CONNECT
            poll();
        });
    }

    private void poll() {
        if (!open) {
            return;
        }
        get(session, 90).whenComplete((body, failure) -> {
            if (failure != null) {
                ended("GET failed: " + failure);
                return;
            }
            for (String packet : SocketIoCodec.packets(body)) {
                if (packet.equals("1")) {
                    open = false;
                }
                client.onText(packet);
            }
            poll();
        });
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void send(String frame, Runnable onFailure) {
        List<Pending> batch;
        synchronized (queue) {
            if (open) {
                queue.add(new Pending(frame, onFailure));
                if (posting) {
                    return;
                }
                posting = true;
                batch = takeBatch();
            } else {
                batch = null;
            }
        }
        if (batch == null) {
            onFailure.run();
            return;
        }
        post(batch);
    }

    /** Under the queue's lock: the queued frames up to {@link #MAX_POST_CHARS}, at least one. */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>(Math.min(queue.size(), 64));
        int chars = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || chars + queue.peek().frame().length() < MAX_POST_CHARS)) {
            Pending p = queue.poll();
            chars += p.frame().length() + 1;
            batch.add(p);
        }
        return batch;
    }

    private void post(List<Pending> batch) {
        String body = SocketIoCodec.payload(batch.stream().map(Pending::frame).toList());
        Request request = http.newRequest(session).method(HttpMethod.POST).body(new StringRequestContent(TEXT, body))
                .timeout(30, TimeUnit.SECONDS);
        new CompletableResponseListener(request).send().whenComplete((response, failure) -> {
            if (failure != null || response.getStatus() != 200) {
                batch.forEach(p -> p.onFailure().run());
                ended(failure != null ? "POST failed: " + failure
                        : "POST answered " + response.getStatus() + ": " + response.getContentAsString());
            }
            List<Pending> next;
            synchronized (queue) {
                if (queue.isEmpty() || !open) {
                    posting = false;
                    return;
                }
                next = takeBatch();
            }
            post(next);
        });
    }

    private CompletableFuture<String> get(URI uri, int timeoutSeconds) {
        Request request = http.newRequest(uri).method(HttpMethod.GET).timeout(timeoutSeconds, TimeUnit.SECONDS);
        return new CompletableResponseListener(request, 4 << 20).send().thenApply(response -> body(uri, response));
    }

    private static String body(URI uri, ContentResponse response) {
        if (response.getStatus() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.getStatus() + ": " + response.getContentAsString());
        }
        return response.getContentAsString();
    }

    /** The session ended without {@link #close()}: counted as an early close once, unless the client is closing. */
    private void ended(String reason) {
        boolean wasOpen = open;
        open = false;
        if (wasOpen && !client.closing()) {
            client.onWebSocketClose(-1, reason.length() > 120 ? reason.substring(0, 120) : reason);
        }
    }

    /** Sends the Engine.IO close packet ({@code 1}), as the client's {@code socket.close()} does; idempotent. */
    @Override
    public void close() {
        URI s = session;
        if (!open || s == null) {
            return;
        }
        open = false;
        http.newRequest(s).method(HttpMethod.POST).body(new StringRequestContent(TEXT, "1")).timeout(5, TimeUnit.SECONDS)
                .send(result -> { });
    }
}
