package org.sigbridge.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.Frames;

/**
 * A channels-dialect WebSocket client (docs/dialects.md §5) for the cluster's fault cases. It sends envelopes whose
 * {@code id} and {@code data} are both {@code <sender>-<n>}, and hands every frame it receives to its {@link Sink}: an
 * envelope from another sender ({@code "<sender>-<n>"}), an error frame naming an envelope id, or a marker
 * ({@code "<sender>-end"}, sent once its sender is done). It keeps, per sender, the highest {@code n} seen and counts
 * frames that came below it (out of per-sender order). After a crash of its instance it can {@link #reconnect} to
 * another address and go on with its next number, as a bare seed-dialect page does: what it missed meanwhile is
 * not replayed.
 *
 * <p>The JDK's WebSocket thread calls the listener; it only records. Sending is for one thread at a time.
 */
final class LedgerClient implements AutoCloseable {

    /** What the client saw; called on the WebSocket thread. */
    interface Sink {
        void delivered(LedgerClient receiver, String sender, String id);

        void reported(LedgerClient sender, String id, String code);
    }

    final String name;
    private final String channel;
    private final Sink sink;
    private final Map<String, Integer> highest = new HashMap<>(); // guarded by this
    private final Set<String> markers = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> outOfOrder = new HashMap<>(); // sender → count; guarded by this
    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicInteger ownEchoes = new AtomicInteger();
    /** The first few deliveries out of order, for the failure message. */
    final java.util.List<String> firstOutOfOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile WebSocket socket;
    private volatile boolean broken;
    private int next;

    private LedgerClient(String name, String channel, Sink sink) {
        this.name = name;
        this.channel = channel;
        this.sink = sink;
    }

    /** Connects to {@code uri} and opens {@code channel}. */
    static LedgerClient open(String name, URI uri, String channel, Sink sink) {
        LedgerClient c = new LedgerClient(name, channel, sink);
        c.connect(uri);
        return c;
    }

    private void connect(URI uri) {
        broken = false;
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
        socket.sendText("{\"open\":true,\"channel\":" + JsonValue.string(channel).json() + "}", true)
                .orTimeout(5, TimeUnit.SECONDS).join();
    }

    /**
     * A new socket to {@code uri} (e.g. the balancer, after this client's instance died), the channel opened again;
     * returns once the bridge there has handled the open ({@link #sync}).
     */
    void reconnect(URI uri) throws Exception {
        socket.abort();
        connect(uri);
        sync();
    }

    /**
     * Asks {@code checkPresence} and waits for the answer: frames of one socket are handled in order, so the bridge
     * has then handled everything this client sent before.
     */
    void sync() throws Exception {
        int before = answers.get();
        socket.sendText("{\"checkPresence\":true,\"channel\":" + JsonValue.string(channel).json() + "}", true)
                .orTimeout(5, TimeUnit.SECONDS).join();
        Poll.until(name + " answered", Duration.ofSeconds(10), () -> answers.get() > before);
    }

    /**
     * Sends the next envelope. {@code sending} is told its id first (so a delivery can never precede the record of
     * its sending); when the write fails (the socket broke) the sink is told it was reported to its sender, as a page
     * sees its {@code send} fail, and false is returned.
     */
    boolean sendNext(Consumer<String> sending) {
        String id = name + "-" + next++;
        sending.accept(id);
        if (!broken) {
            try {
                socket.sendText("{\"id\":\"" + id + "\",\"channel\":" + JsonValue.string(channel).json()
                        + ",\"data\":\"" + id + "\"}", true).orTimeout(5, TimeUnit.SECONDS).join();
                return true;
            } catch (RuntimeException e) {
                broken = true;
            }
        }
        sink.reported(this, id, "write_failed");
        return false;
    }

    /** Sends this sender's end marker; false when the socket is broken. */
    boolean sendMarker() {
        try {
            socket.sendText("{\"channel\":" + JsonValue.string(channel).json() + ",\"data\":\"" + name + "-end\"}", true)
                    .orTimeout(5, TimeUnit.SECONDS).join();
            return true;
        } catch (RuntimeException e) {
            broken = true;
            return false;
        }
    }

    boolean isBroken() {
        return broken;
    }

    boolean sawMarkerOf(String sender) {
        return markers.contains(sender);
    }

    /** Its own envelopes that came back to it (sent on an earlier connection, received on a later one). */
    int ownEchoes() {
        return ownEchoes.get();
    }

    /** Frames from {@code sender} that arrived below the highest number already seen from it. */
    synchronized int outOfOrder(String sender) {
        return outOfOrder.getOrDefault(sender, 0);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    private void onFrame(String text) {
        if (text.startsWith("\"")) {
            String data = text.substring(1, text.length() - 1);
            int dash = data.lastIndexOf('-');
            if (dash < 0) {
                return;
            }
            String sender = data.substring(0, dash);
            String tail = data.substring(dash + 1);
            if (tail.equals("end")) {
                markers.add(sender);
                return;
            }
            int n = Integer.parseInt(tail);
            if (sender.equals(name)) {
                ownEchoes.incrementAndGet(); // its own, sent on an earlier connection: that endpoint is another one
                return;
            }
            synchronized (this) {
                Integer high = highest.get(sender);
                if (high != null && n <= high) {
                    if (outOfOrder.getOrDefault(sender, 0) < 3) {
                        firstOutOfOrder.add(name + " got " + data + " after " + sender + "-" + high);
                    }
                    outOfOrder.merge(sender, 1, Integer::sum);
                } else {
                    highest.put(sender, n);
                }
            }
            sink.delivered(this, sender, data);
        } else if (text.startsWith("{\"isChannelPresent\"")) {
            answers.incrementAndGet();
        } else if (text.contains("\"error\"")) {
            Map<String, JsonValue> error = Frames.parse(Frames.parse(text).get("error").json());
            JsonValue id = error.get("id");
            if (id != null && id.isString()) {
                sink.reported(this, id.asText(), error.get("code").asText());
            }
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
                onFrame(text);
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
