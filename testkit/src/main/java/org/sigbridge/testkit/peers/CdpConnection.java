package org.sigbridge.testkit.peers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One WebSocket to a Chromium's browser-level DevTools endpoint, speaking the Chrome DevTools Protocol with
 * flattened sessions: a command addressed to a page carries the {@code sessionId} that
 * {@code Target.attachToTarget {flatten: true}} returned (https://chromedevtools.github.io/devtools-protocol/).
 *
 * <p>Thread-safe: any thread may {@link #call} (it blocks until the answer or the timeout); sends are serialized, one
 * in flight, as {@link WebSocket} requires. Answers and events arrive on the client's own named thread; event
 * listeners run there and must only record and notify, never call back into this connection and wait. After
 * {@link #close()} or the browser's end every pending and later call fails with {@link PeerException}.
 */
final class CdpConnection implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final String name;
    private final ExecutorService executor;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> listeners = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private final WebSocket socket;
    private volatile String closedBecause;

    private CdpConnection(String name, ExecutorService executor, URI endpoint, Duration timeout) {
        this.name = name;
        this.executor = executor;
        HttpClient client = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).build();
        try {
            this.socket = client.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(endpoint, new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            executor.shutdownNow();
            throw new PeerException(name + ": cannot open the DevTools WebSocket " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
            throw new PeerException(name + ": interrupted while opening " + endpoint, e);
        }
    }

    /** Connects to {@code endpoint} ({@code ws://127.0.0.1:port/devtools/browser/id}); blocks up to {@code timeout}. */
    static CdpConnection open(String name, URI endpoint, Duration timeout) {
        int n = CONNECTIONS.incrementAndGet();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cdp-" + name + "-" + n);
            t.setDaemon(true);
            return t;
        });
        return new CdpConnection(name, executor, endpoint, timeout);
    }

    /** A fresh empty parameter object for {@link #call}. */
    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** True until the socket closed, failed or {@link #close()} ran. */
    boolean isOpen() {
        return closedBecause == null;
    }

    /**
     * Sends {@code method} with {@code params} to the browser ({@code sessionId} null) or to one attached target and
     * blocks for its {@code result}.
     *
     * @throws CdpError if the browser answered with an error
     * @throws PeerException if the connection is closed or {@code timeout} passes first
     */
    JsonNode call(String sessionId, String method, ObjectNode params, Duration timeout) {
        CompletableFuture<JsonNode> answer = send(sessionId, method, params);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PeerException(name + ": " + method + " not answered within " + timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PeerException(name + ": " + method + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(name + ": interrupted while waiting for " + method, e);
        }
    }

    private CompletableFuture<JsonNode> send(String sessionId, String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String reason = closedBecause;
        if (reason != null) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new PeerException(name + ": " + method + " after the DevTools "
                    + "connection closed (" + reason + ")"));
        }
        synchronized (sendLock) {
            try {
                socket.sendText(message.toString(), true).get();
            } catch (ExecutionException e) {
                fail("send failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.remove(id);
                return CompletableFuture.failedFuture(new PeerException(name + ": interrupted sending " + method, e));
            }
        }
        return answer;
    }

    /**
     * Routes every event of {@code sessionId} to {@code listener} (on the connection's thread) until
     * {@link #unlisten(String)}.
     */
    void listen(String sessionId, Consumer<JsonNode> listener) {
        listeners.put(sessionId, listener);
    }

    void unlisten(String sessionId) {
        listeners.remove(sessionId);
    }

    private void receive(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            fail("unreadable DevTools message: " + e.getOriginalMessage());
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asLong());
            if (answer == null) {
                return;
            }
            JsonNode error = message.get("error");
            if (error != null) {
                answer.completeExceptionally(new CdpError(error.path("code").asInt(), error.path("message").asText()
                        + (error.has("data") ? " (" + error.get("data").asText() + ")" : "")));
            } else {
                answer.complete(message.path("result"));
            }
            return;
        }
        // A page's events carry its session id; the browser tells of a tab's end on its own session, naming the page's.
        String session = message.has("sessionId") ? message.get("sessionId").asText()
                : message.path("params").path("sessionId").asText("");
        Consumer<JsonNode> listener = listeners.get(session);
        if (listener != null) {
            listener.accept(message);
        }
    }

    private void fail(String reason) {
        if (closedBecause == null) {
            closedBecause = reason;
        }
        PeerException gone = new PeerException(name + ": DevTools connection closed: " + reason);
        pending.values().forEach(answer -> answer.completeExceptionally(gone));
        pending.clear();
        listeners.values().forEach(listener -> listener.accept(JSON.createObjectNode().put("method", "closed")));
    }

    /** Closes the socket and fails pending calls. Idempotent; does not stop the browser. */
    @Override
    public void close() {
        fail("closed by testkit");
        socket.abort();
        executor.shutdownNow();
    }

    /** An error answer of the browser to one command: {@code code} and {@code message} as CDP sent them. */
    static final class CdpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        CdpError(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                receive(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail("browser closed the socket (" + statusCode + " " + reason + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail("socket error: " + error);
        }
    }
}
