package org.sigbridge.web.signalr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ASP.NET Core SignalR connection over an HTTP transport (docs/signalr.md#transports) as one {@link WebConnection},
 * so that its {@link HubConnection} is the same as over a WebSocket. What the server writes goes out as Long Polling
 * answers ({@code GET {hub}?id=…}, held until records wait, at most {@link #POLL_TIMEOUT_MILLIS}) or as Server-Sent
 * Events on one open {@code text/event-stream} response, one event per batch; what the client sends comes in HTTP POSTs
 * ({@link #post}).
 *
 * <p>Outbound: the {@link HubConnection} offers records to {@link #outbound()}, a bounded queue whose sink is this
 * transport (one batch in flight): on Long Polling a batch answers the held poll or waits for the next one; on SSE it
 * is written to the stream. Inbound: POST bodies reach the handler one at a time under the inbound lock.
 *
 * <p>Registry: the transport is in the host's registry (drain, shutdown, the connection gauge) and holds a per-address
 * slot from its first GET until it closes. Threads: any; state is guarded by {@code this} and replies are written
 * outside it. Nothing blocks.
 */
final class HubHttpTransport implements WebConnection {

    private static final Logger log = LoggerFactory.getLogger(HubHttpTransport.class);
    /** ASP.NET Core's {@code LongPollingOptions.PollTimeout}: a poll with nothing to answer is answered empty after it. */
    static final long POLL_TIMEOUT_MILLIS = 90_000;
    private static final ByteBuffer SSE_OPEN = ByteBuffer.wrap(":\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    /** The two server-to-client HTTP transports, by their names in negotiate's {@code availableTransports}. */
    enum Kind {
        LONG_POLLING("LongPolling"), SERVER_SENT_EVENTS("ServerSentEvents");

        final String wire;

        Kind(String wire) {
            this.wire = wire;
        }
    }

    /** A GET waiting for records (Long Polling) or the open event stream (SSE). */
    private record Held(Response response, Callback callback, long sinceMillis) {
    }

    /** A batch the queue handed over while no poll was held. */
    private record Pending(List<ByteBuffer> frames, Completion done) {
    }

    private final HubServer server;
    private final Kind kind;
    private final String id;
    private final String token;
    private final String hubName;
    private final String address;
    private final OutboundQueue queue;
    private final Object inbound = new Object();
    private volatile HubConnection handler;

    // guarded by this
    private Held held;
    private Pending pending;
    private boolean closed;
    private long closedAtMillis;
    private boolean handlerClosed;

    HubHttpTransport(HubServer server, Kind kind, String token, String hubName, String address) {
        this.server = server;
        this.kind = kind;
        this.token = token;
        this.hubName = hubName;
        this.address = address;
        this.id = server.host().connectionIds().get();
        this.queue = new OutboundQueue(server.host().limits().outboundQueueFrames(), server.host().limits().outboundBatchFrames(),
                this, cause -> log.debug("{}: SignalR {} write failed: {}", id, kind.wire, cause.toString()));
    }

    Kind kind() {
        return kind;
    }

    String token() {
        return token;
    }

    String hubName() {
        return hubName;
    }

    /**
     * Starts the connection with its first GET: registers it, opens the {@link HubConnection} (which claims the token)
     * and answers the GET: Long Polling's first poll at once with 200 and no content, as ASP.NET Core does, SSE with the
     * stream's headers. Jetty thread; called once.
     */
    void start(HubConnection upper, Request request, Response response, Callback callback) {
        this.handler = upper;
        if (!server.host().registry().add(this)) {
            close("the bridge is stopping");
            Replies.send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Replies.TEXT, "This bridge is stopping.");
            return;
        }
        server.host().stats().countConnectionOpened();
        synchronized (inbound) {
            upper.onOpen();
        }
        if (kind == Kind.LONG_POLLING) {
            answerEmpty(response, callback, 200);
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no"); // nginx: pass the stream through unbuffered
        Held stream = new Held(response, callback, server.hub().clock().millis());
        synchronized (this) {
            held = stream;
        }
        // A client that goes away ends the connection at once where the host notices it, else at client-timeout.
        request.addFailureListener(failure -> close("event stream ended: " + failure));
        // Commits the headers, so that the client's EventSource opens; a comment line carries nothing.
        response.write(false, SSE_OPEN.duplicate(), Callback.from(() -> { }, failure -> close("event stream failed")));
        Pending early;
        synchronized (this) {
            early = pending;
            pending = null;
        }
        if (early != null) {
            send(early.frames(), early.done());
        }
    }

    /**
     * A further Long Polling GET: answered at once with what waits, else held. A poll that was still held is answered
     * 204, as ASP.NET Core ends an earlier poll when a new one comes. After the connection closed, a poll gets what was
     * left for it (such as the Close message that says why), else 404 as for a connection ASP.NET Core disposed (the
     * poll held when it closed got 204, the client's sign that the server ended it). Jetty thread.
     */
    void poll(Response response, Callback callback) {
        upper().heard();
        Held superseded;
        Pending toWrite;
        boolean ended;
        synchronized (this) {
            superseded = held;
            held = null;
            toWrite = pending;
            pending = null;
            ended = closed;
            if (toWrite == null && !ended) {
                held = new Held(response, callback, server.hub().clock().millis());
            }
        }
        if (superseded != null) {
            answerEmpty(superseded.response(), superseded.callback(), 204);
        }
        if (toWrite != null) {
            answer(response, callback, toWrite);
        } else if (ended) {
            server.host().stats().countBadFrame();
            Replies.send(response, callback, HttpStatus.NOT_FOUND_404, Replies.TEXT, "No Connection with that ID");
        }
    }

    /** The text of a POST: the client's records, handed to the hub connection. Jetty thread; short. */
    void post(String body) {
        synchronized (inbound) {
            if (!isClosed()) {
                upper().onText(body);
            }
        }
    }

    /**
     * The timer: a poll held for {@link #POLL_TIMEOUT_MILLIS} is answered 200 with no content. Timer thread.
     *
     * @return true when the transport can be forgotten: closed, and what was left for a last poll taken or older than
     *         {@code linger}
     */
    boolean tick(long now, long lingerMillis) {
        Held expired = null;
        synchronized (this) {
            if (closed) {
                return pending == null || now - closedAtMillis > lingerMillis;
            }
            if (kind == Kind.LONG_POLLING && held != null && now - held.sinceMillis() >= POLL_TIMEOUT_MILLIS) {
                expired = held;
                held = null;
            }
        }
        if (expired != null) {
            answerEmpty(expired.response(), expired.callback(), 200);
        }
        return false;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Ends the connection: an SSE stream is completed; a held poll gets what waits, else 204, and a later poll gets what
     * was left for it; the hub connection's {@code onClosed} runs once. Idempotent; any thread.
     */
    void close(String reason) {
        Held toEnd;
        Pending toWrite;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closedAtMillis = server.hub().clock().millis();
            toEnd = held;
            held = null;
            toWrite = kind == Kind.LONG_POLLING && toEnd != null ? pending : null;
            if (toWrite != null) {
                pending = null;
            }
        }
        log.debug("{}: SignalR {} connection closed: {}", id, kind.wire, reason);
        queue.close();
        if (toEnd != null) {
            if (kind == Kind.SERVER_SENT_EVENTS) {
                toEnd.response().write(true, ByteBuffer.allocate(0), toEnd.callback());
            } else if (toWrite != null) {
                answer(toEnd.response(), toEnd.callback(), toWrite);
            } else {
                answerEmpty(toEnd.response(), toEnd.callback(), 204);
            }
        }
        server.host().registry().remove(this);
        server.host().registry().addresses().release(address);
        boolean runOnClosed;
        synchronized (this) {
            runOnClosed = !handlerClosed && handler != null;
            handlerClosed = true;
        }
        if (runOnClosed) {
            synchronized (inbound) {
                handler.onClosed();
            }
        }
    }

    // ---- WebConnection ------------------------------------------------------------------------------------------

    @Override
    public void send(List<ByteBuffer> frames, Completion done) {
        Held target = null;
        boolean stream = kind == Kind.SERVER_SENT_EVENTS;
        synchronized (this) {
            if (!closed) {
                if (held != null) {
                    target = held;
                    held = stream ? held : null;
                } else {
                    pending = new Pending(frames, done);
                    return;
                }
            }
        }
        if (target == null) {
            done.failed(new IllegalStateException("SignalR connection " + id + " is closed"));
        } else if (stream) {
            int count = frames.size();
            target.response().write(false, SseEvents.event(frames), Callback.from(() -> {
                server.host().stats().countFramesOut(count);
                done.succeeded();
            }, failure -> {
                done.failed(failure);
                close("event stream failed: " + failure);
            }));
        } else {
            answer(target.response(), target.callback(), new Pending(frames, done));
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String dialect() {
        return SignalRDialect.NAME;
    }

    @Override
    public Endpoint endpoint() {
        return upper().endpoint();
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public OutboundQueue outbound() {
        return queue;
    }

    /** The hub protocol keeps the connection alive itself (pings, and every poll); the host's WebSocket ping is not used. */
    @Override
    public void ping() {
    }

    /** Closes the connection; the status code is for WebSockets and is not used here. */
    @Override
    public void close(int statusCode, String reason) {
        close(reason);
    }

    /** Writes what waits and then closes: a Close message reaches a held poll or the stream first. */
    @Override
    public void closeWith(int statusCode, String reason) {
        queue.writeHeld();
        close(reason);
    }

    private HubConnection upper() {
        return handler;
    }

    /** A poll's answer: the batch's records as they are, back to back. */
    private void answer(Response response, Callback callback, Pending batch) {
        int size = 0;
        for (ByteBuffer frame : batch.frames()) {
            size += frame.remaining();
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        for (ByteBuffer frame : batch.frames()) {
            body.put(frame.duplicate());
        }
        body.flip();
        noCache(response);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        int count = batch.frames().size();
        response.write(true, body, Callback.from(() -> {
            callback.succeeded();
            server.host().stats().countFramesOut(count);
            batch.done().succeeded();
        }, failure -> {
            callback.failed(failure);
            batch.done().failed(failure);
        }));
    }

    private static void answerEmpty(Response response, Callback callback, int status) {
        noCache(response);
        response.setStatus(status);
        if (status == 200) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, "0");
        }
        callback.succeeded();
    }

    /** ASP.NET Core's headers on every poll, so that no cache answers one. */
    private static void noCache(Response response) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store");
        response.getHeaders().put(HttpHeader.PRAGMA, "no-cache");
        response.getHeaders().put(HttpHeader.EXPIRES, "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
