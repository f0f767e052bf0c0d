package org.sigbridge.web.signalr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.limit.RateGuard;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One classic SignalR 2 connection (docs/signalr.md#classic) as a hub endpoint that outlives its transports: a
 * WebSocket ({@link ClassicSocket}) or a series of long polls. Messages for it get ids; the cursor {@code C} is the id of
 * the last one, and a poll's {@code messageId} acknowledges what came before. What is not acknowledged is kept, at most
 * {@code outbound-queue-frames}; more ends the connection with an error (a slow consumer) rather than losing messages.
 *
 * <p>Threads: any; the state is guarded by {@code this}, and replies are written outside it. Nothing blocks.
 */
final class ClassicConnection implements HubMember {

    private static final Logger log = LoggerFactory.getLogger(ClassicConnection.class);

    private final ClassicServer server;
    private final String token;
    private final String connectionId;
    private final String endpointId;
    private final String hubName;
    private final int capacity;
    private final RateGuard rate;
    /** Guarded by this. */
    private final Deque<Entry> unacknowledged = new ArrayDeque<>();
    private long lastId;
    private ClassicSocket socket;
    private Held held;
    private long lastActive;
    private long lastWritten;
    /** The id of the last message a poll reply or a WebSocket took; those after it are unwritten. Guarded by this. */
    private long lastTaken;
    private String ended;

    /** A kept message; {@code receipt} is its envelope's, or {@code null} for one that carries none. */
    private record Entry(long id, String json, EnvelopeReceipt receipt) {
    }

    /** A long poll waiting for messages. */
    private record Held(Response response, Callback callback, long sinceMillis) {
    }

    ClassicConnection(ClassicServer server, String token, String connectionId, String endpointId, String hubName, long now) {
        this.server = server;
        this.token = token;
        this.connectionId = connectionId;
        this.endpointId = endpointId;
        this.hubName = hubName;
        this.capacity = server.host().settings().outboundQueueFrames();
        this.rate = new RateGuard(server.host().limits().messagesPerSecond(), server.host().limits().burst(),
                server.host().limits().closeAfter(), System::nanoTime);
        this.lastActive = now;
        this.lastWritten = now;
    }

    String token() {
        return token;
    }

    /** The per-connection rate limit's verdict on one more invocation. Any thread. */
    synchronized RateGuard.Verdict rate() {
        return rate.check();
    }

    @Override
    public String hubName() {
        return hubName;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public String id() {
        return endpointId;
    }

    @Override
    public String adapter() {
        return server.host().adapter();
    }

    /** Writes or keeps one client method invocation. False when the connection has ended. Any thread. */
    boolean push(String invocationJson) {
        return push(invocationJson, null);
    }

    /**
     * Writes or keeps one client method invocation that carries an envelope ({@code receipt}, or {@code null} for none):
     * if it is never written (the connection ends with it kept and no poll takes it, a slow consumer, a socket gone),
     * the envelope's sender is told by id (docs/design.md §2.4). False when the connection has ended or its socket
     * refused the frame; either way {@code receipt} has reported it, once (the socket's writer reports its own refusal).
     * Any thread.
     */
    boolean push(String invocationJson, EnvelopeReceipt receipt) {
        return push(invocationJson, receipt, false);
    }

    /**
     * {@link #push(String)} for an invocation that reports a failure to the page ({@code onDeliveryFailed} naming an
     * envelope id), with a reserve: up to twice the bound may wait (the socket's queue's {@code offerReport}, or the
     * messages kept for a poll), so that the burst of reports a slow consumer's close sends does not end a connection
     * that keeps up (docs/reliability.md, "browser stall"). Any thread.
     */
    boolean pushReport(String invocationJson) {
        return push(invocationJson, null, true);
    }

    private boolean push(String invocationJson, EnvelopeReceipt receipt, boolean report) {
        Held answer = null;
        String frame = null;
        ClassicSocket to = null;
        boolean endedNow = false;
        boolean endedBefore;
        synchronized (this) {
            endedBefore = ended != null;
            if (!endedBefore) {
                long id = ++lastId;
                to = socket;
                if (to != null) {
                    frame = ClassicProtocol.messages(id, List.of(invocationJson), false);
                    lastWritten = server.hub().clock().millis();
                    lastTaken = id;
                } else {
                    unacknowledged.addLast(new Entry(id, invocationJson, receipt));
                    if (unacknowledged.size() > (report ? 2 * capacity : capacity)) {
                        server.host().stats().countSlowConsumer();
                        ended = "Connection " + connectionId + " fell " + capacity + " messages behind (a slow consumer); start a new one.";
                        endedNow = true;
                    }
                    answer = held;
                    held = null;
                }
            }
        }
        if (endedBefore) {
            if (receipt != null) { // outside the lock: the report calls the sender's endpoint
                receipt.notWritten("the connection " + connectionId + " has ended");
            }
            return false;
        }
        if (endedNow) {
            server.ended(this);
        }
        if (to != null) {
            return report ? to.writeReport(frame) : to.write(frame, receipt);
        }
        if (answer != null) {
            reply(answer);
        }
        if (endedNow) {
            reportUnwritten("a slow consumer: more than " + capacity + " messages were waiting; the connection was ended");
        }
        return true;
    }

    /**
     * A long poll ({@code connect}, {@code poll} or {@code reconnect} over long polling): acknowledges up to
     * {@code messageId}, then answers at once with what waits (or the init response on {@code connect}), or holds.
     */
    void poll(String messageId, boolean connect, Response response, Callback callback) {
        Held earlier;
        Held now = new Held(response, callback, server.hub().clock().millis());
        boolean answerNow;
        synchronized (this) {
            lastActive = now.sinceMillis();
            acknowledge(messageId);
            earlier = held;
            held = null;
            answerNow = connect || ended != null || !unacknowledged.isEmpty();
            if (!answerNow) {
                held = now;
            }
        }
        if (earlier != null) {
            reply(earlier);
        }
        if (answerNow) {
            if (connect) {
                long cursor;
                synchronized (this) {
                    cursor = lastId;
                }
                Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, ClassicProtocol.messages(cursor, List.of(), true));
            } else {
                reply(now);
            }
        }
    }

    /** Answers a poll with what waits, or the connection's end. */
    private void reply(Held poll) {
        String body;
        synchronized (this) {
            if (ended != null && unacknowledged.isEmpty()) {
                body = ClassicProtocol.globalError(ended);
            } else {
                List<String> messages = new ArrayList<>(unacknowledged.size());
                for (Entry e : unacknowledged) {
                    messages.add(e.json());
                }
                body = ClassicProtocol.messages(lastId, messages, false);
            }
            lastWritten = server.hub().clock().millis();
            lastTaken = lastId;
        }
        Replies.send(poll.response(), poll.callback(), HttpStatus.OK_200, Replies.JSON, body);
    }

    private void acknowledge(String messageId) {
        if (messageId == null) {
            return;
        }
        try {
            long acked = Math.min(Long.parseLong(messageId), lastId);
            while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().id() <= acked) {
                unacknowledged.removeFirst();
            }
        } catch (NumberFormatException e) {
            server.host().stats().countBadFrame(); // a cursor this server never gave: nothing acknowledged
        }
    }

    /**
     * A WebSocket takes over ({@code connect} or {@code reconnect}): on connect it gets the init response, on reconnect
     * what was not acknowledged after {@code messageId}. Reader thread.
     */
    String attach(ClassicSocket to, String messageId, boolean reconnect) {
        Held earlier;
        String frame;
        long cursor;
        synchronized (this) {
            if (ended != null) {
                return ClassicProtocol.globalError(ended);
            }
            if (socket != null && socket != to) {
                socket.replaced();
            }
            socket = to;
            lastActive = server.hub().clock().millis();
            lastWritten = lastActive;
            acknowledge(messageId);
            earlier = held;
            held = null;
            List<String> messages = new ArrayList<>();
            for (Entry e : unacknowledged) {
                messages.add(e.json());
            }
            unacknowledged.clear();
            cursor = lastId;
            lastTaken = lastId;
            frame = ClassicProtocol.messages(cursor, messages, !reconnect);
        }
        if (earlier != null) {
            Replies.send(earlier.response(), earlier.callback(), HttpStatus.OK_200, Replies.JSON,
                    ClassicProtocol.messages(cursor, List.of(), false));
        }
        return frame;
    }

    /** The WebSocket closed; the connection waits for a reconnect until the disconnect timeout. Reader thread. */
    synchronized void detach(ClassicSocket from) {
        if (socket == from) {
            socket = null;
            lastActive = server.hub().clock().millis();
        }
    }

    /** {@code abort}, drain or a timeout: the connection ends; a held poll hears why. Any thread. */
    void end(String why) {
        Held answer;
        ClassicSocket to;
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = why;
            answer = held;
            held = null;
            to = socket;
            socket = null;
        }
        server.ended(this);
        if (answer != null) {
            reply(answer);
        }
        if (to != null) {
            to.close();
        }
        reportUnwritten(why);
    }

    /**
     * The connection has ended: the kept messages no poll reply or WebSocket took will never be written, so their
     * envelopes' senders are told by id. A message a reply took but the client did not acknowledge counts as written
     * (docs/design.md §2.4). Outside the lock; any thread.
     */
    private void reportUnwritten(String why) {
        List<EnvelopeReceipt> unwritten = new ArrayList<>();
        synchronized (this) {
            for (java.util.Iterator<Entry> it = unacknowledged.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.id() > lastTaken) {
                    it.remove();
                    if (e.receipt() != null) {
                        unwritten.add(e.receipt());
                    }
                }
            }
        }
        for (EnvelopeReceipt r : unwritten) {
            r.notWritten(why);
        }
    }

    /**
     * The timer: a held poll older than the poll timeout is answered empty; a WebSocket written nothing for the
     * keep-alive interval gets {@code {}}; a connection without transport for the disconnect timeout ends. Timer thread.
     */
    void tick(long now) {
        Held expired = null;
        ClassicSocket ping = null;
        boolean gone = false;
        synchronized (this) {
            if (ended != null) {
                return;
            }
            if (held != null && now - held.sinceMillis() >= server.pollTimeout().toMillis()) {
                expired = held;
                held = null;
                lastActive = now;
            }
            if (socket != null && now - lastWritten >= server.settings().keepAliveInterval().toMillis()) {
                ping = socket;
                lastWritten = now;
            }
            if (socket == null && held == null && expired == null
                    && now - lastActive > server.settings().clientTimeout().toMillis()) {
                gone = true;
            }
        }
        if (expired != null) {
            reply(expired);
        }
        if (ping != null) {
            ping.write("{}");
        }
        if (gone) {
            log.debug("{}: classic SignalR connection {} has had no transport for {}; ending it", endpointId, connectionId,
                    server.settings().clientTimeout());
            end("Connection " + connectionId + " timed out without a transport.");
        }
    }

    /** Whether a long poll is held now (a drain's {@code pollers}). */
    synchronized boolean polling() {
        return held != null;
    }

    /** A broadcast on one of its hub's channels: {@code onMessageReceived(text)}. Publishing thread. */
    @Override
    public DeliveryResult deliver(Envelope envelope) {
        String text = HubText.delivered(envelope.channel(), envelope.message(), server.settings().channelOf(hubName));
        EnvelopeReceipt receipt = new EnvelopeReceipt(envelope, server.hub(), endpointId);
        if (!push(ClassicProtocol.clientCall(hubName, SignalRDialect.CLIENT_METHOD, JsonValue.string(text)), receipt)) { // reported by push
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "classic SignalR connection " + connectionId + " is gone");
        }
        return DeliveryResult.DELIVERED;
    }

    /** A back end failed to deliver a message of ours: {@code onDeliveryFailed({code, detail, id})}. Publishing thread. */
    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        server.host().stats().countError(failure.code());
        log.info("{}: envelope {} from classic SignalR connection {} was not delivered: {} {}", endpointId, failure.envelopeId(),
                connectionId, failure.code().wire(), failure.detail());
        pushReport(ClassicProtocol.clientCall(hubName, SignalRDialect.FAILURE_METHOD, new JsonValue("{\"code\":"
                + JsonValue.string(failure.code().wire()).json() + ",\"detail\":" + JsonValue.string(failure.detail()).json()
                + ",\"id\":" + JsonValue.string(failure.envelopeId()).json() + "}")));
    }
}
