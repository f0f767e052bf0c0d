package org.sigbridge.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One generated browser: a Jetty WebSocket listener that publishes probes on its channel and books what it
 * receives in the run's {@link DeliveryLedger}. A socket.io polling client is the same browser over a
 * {@link SocketIoPolling} transport, which {@link #attach attaches} itself and hands in each packet through
 * {@link #onText}.
 *
 * <p>Jetty calls the listener methods on its client threads, one at a time per socket (the polling transport calls
 * {@link #onText} from one GET's completion at a time). {@link #sendNext()} may be called from any thread (the
 * open-loop pacer, or another client's delivery callback in the closed loop); Jetty queues concurrent frames of one
 * session, the polling transport queues them for its next POST.
 */
public final class BenchClient implements Session.Listener.AutoDemanding {
    private final int index;
    private final String channel;
    private final int fanout;
    private final WireDialect dialect;
    private final String filler;
    private final DeliveryLedger ledger;
    private final DeliveryLedger.Receiver receiver;
    private final IntConsumer onReceipt;
    private final RunCounters counters;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong receipts = new AtomicLong();
    private volatile Outbound out;
    private volatile boolean closing;

    /** Where a client's frames go: a WebSocket session, or a polling session's POST queue. */
    interface Outbound {
        boolean isOpen();

        /** Queues {@code frame}; {@code onFailure} runs if it cannot be written. Any thread; never blocks. */
        void send(String frame, Runnable onFailure);

        /** Ends the session normally; idempotent. */
        void close();
    }

    private record WebSocketOut(Session session) implements Outbound {
        @Override
        public boolean isOpen() {
            return session.isOpen();
        }

        @Override
        public void send(String frame, Runnable onFailure) {
            session.sendText(frame, Callback.from(() -> { }, failure -> onFailure.run()));
        }

        @Override
        public void close() {
            if (session.isOpen()) {
                session.close(1000, "bench done", Callback.NOOP);
            }
        }
    }

    /**
     * @param onReceipt called with the sending client's index for every probe this client receives (the
     *                  closed loop uses it to release the sender's window)
     */
    public BenchClient(int index, String channel, int fanout, WireDialect dialect, String filler, DeliveryLedger ledger,
                       IntConsumer onReceipt, RunCounters counters) {
        this.index = index;
        this.channel = channel;
        this.fanout = fanout;
        this.dialect = dialect;
        this.filler = filler;
        this.ledger = ledger;
        this.receiver = ledger.receiver();
        this.onReceipt = onReceipt;
        this.counters = counters;
    }

    public int index() {
        return index;
    }

    public String channel() {
        return channel;
    }

    /**
     * Completes when the client can publish (socket open; SignalR handshake answered; socket.io namespace connected);
     * fails if it closes or errors first.
     */
    public CompletableFuture<Void> opened() {
        return opened;
    }

    @Override
    public void onWebSocketOpen(Session newSession) {
        attach(new WebSocketOut(newSession));
    }

    /** The transport is up: sends the dialect's open frame, if any. Called once, by the transport. */
    void attach(Outbound outbound) {
        this.out = outbound;
        String open = dialect.openFrame(channel);
        if (!open.isEmpty()) {
            outbound.send(open, () -> { });
        }
        // A SignalR connection is open when its handshake is answered, a socket.io socket when its namespace is.
        if (dialect != WireDialect.SIGNALR && !dialect.socketIo()) {
            opened.complete(null);
        }
    }

    @Override
    public void onWebSocketText(String frame) {
        onText(frame);
    }

    /** One text message (WebSocket) or one packet of a polling payload, received now. */
    void onText(String frame) {
        long now = System.nanoTime();
        if (dialect == WireDialect.SIGNALR) {
            onSignalR(frame, now);
            return;
        }
        if (dialect.socketIo()) {
            onSocketIo(frame, now);
            return;
        }
        onProbeText(frame, now);
    }

    /** One socket.io packet: the open packet is answered with CONNECT, pings with pongs, messages carry probes. */
    private void onSocketIo(String frame, long now) {
        SocketIoCodec.Packet packet = SocketIoCodec.read(frame);
        switch (packet.kind()) {
            case MESSAGE -> onProbeText(packet.text(), now);
            case PING -> send(SocketIoCodec.PONG);
            case OPEN -> send(SocketIoCodec.CONNECT);
            case CONNECTED -> opened.complete(null);
            case NOOP -> { }
            case CONNECT_ERROR, CLOSED -> {
                receiver.onOther();
                counters.other(frame);
                opened.completeExceptionally(new IllegalStateException("socket.io refused or closed: " + frame));
            }
            default -> {
                receiver.onOther();
                counters.other(frame);
            }
        }
    }

    private void send(String frame) {
        Outbound o = out;
        if (o != null) {
            o.send(frame, counters::sendFailed);
        }
    }

    /** Each record of a SignalR message: the handshake answer opens, a broadcast carries a probe, pings are ignored. */
    private void onSignalR(String frame, long now) {
        for (SignalRCodec.Record record : SignalRCodec.records(frame)) {
            switch (record.kind()) {
                case HANDSHAKE_OK -> opened.complete(null);
                case BROADCAST -> onProbeText(record.text(), now);
                case REFUSED -> {
                    receiver.onOther();
                    counters.other(record.text());
                    opened.completeExceptionally(new IllegalStateException("SignalR refused: " + record.text()));
                }
                default -> {
                    if (!record.text().equals("{\"type\":6}")) { // keep-alives are not unexpected
                        receiver.onOther();
                        counters.other(record.text());
                    }
                }
            }
        }
    }

    private void onProbeText(String frame, long now) {
        Probe probe = Probe.parse(frame);
        if (!probe.isProbe()) {
            receiver.onOther();
            counters.other(frame);
            return;
        }
        receiver.onDelivery(probe, now);
        onReceipt.accept(probe.client());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (!closing) {
            counters.closedEarly(statusCode, reason);
        }
        opened.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
    }

    /** Whether {@link #close()} was called: an ending transport is then expected, not counted. */
    boolean closing() {
        return closing;
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        opened.completeExceptionally(cause);
    }

    /** Publishes the next probe now. No-op while the socket is not open. */
    public void sendNext() {
        Outbound o = out;
        if (o == null || !o.isOpen()) {
            counters.sendFailed();
            return;
        }
        long seq = nextSeq.getAndIncrement();
        long now = System.nanoTime();
        boolean measured = ledger.onSent(now, fanout);
        String frame = dialect.publishFrame(channel, index, new Probe(index, seq, now, measured).body(filler));
        counters.sent();
        o.send(frame, counters::sendFailed);
    }

    /**
     * Closed loop: one of this client's messages reached one more member. Every {@code fanout} receipts
     * complete one message, which frees one window slot.
     *
     * @return true if a window slot was freed
     */
    public boolean receiptFreesSlot() {
        return receipts.incrementAndGet() % fanout == 0;
    }

    /** Closes the socket normally; idempotent. */
    public void close() {
        closing = true;
        Outbound o = out;
        if (o != null) {
            o.close();
        }
    }
}
