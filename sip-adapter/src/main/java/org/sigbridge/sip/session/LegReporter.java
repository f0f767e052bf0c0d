package org.sigbridge.sip.session;

import java.util.Objects;
import java.util.function.Consumer;
import org.sigbridge.spi.LegState;

/**
 * Folds what the SIP leg knows (listening, proxy reachable, registered, TLS peers reachable) into one {@link LegState}:
 * READY when listening and, if configured, registered; STARTING until the first registration; DOWN
 * when the proxy stops answering, the bridge's own or a channel's registration fails, or a TLS peer fails
 * ({@link TlsPeers}), with one line saying why. Reports changes only (the hub logs each change once). Thread-safe.
 */
public final class LegReporter {

    private final String adapter;
    private final boolean registrationRequired;
    private final String listening;
    private final Consumer<LegState> sink;
    private boolean proxyAlive = true;
    private boolean registered;
    private String registrationProblem;
    private String proxyProblem = "proxy not answering";
    private boolean closed;
    private String tlsProblem;
    /** Channel AORs whose last REGISTER failed, with the failure, oldest first. */
    private final java.util.LinkedHashMap<String, String> channelProblems = new java.util.LinkedHashMap<>();
    private LegState last;

    /**
     * @param listening            e.g. {@code listening on udp+tcp 127.0.0.1:5070}
     * @param registrationRequired whether READY needs a registration
     * @param sink                 where states go (the hub's {@code legState}); called under this object's lock
     */
    public LegReporter(String adapter, String listening, boolean registrationRequired, Consumer<LegState> sink) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.listening = Objects.requireNonNull(listening, "listening");
        this.registrationRequired = registrationRequired;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public synchronized void starting() {
        publish();
    }

    public synchronized void proxy(boolean alive, String detail) {
        proxyAlive = alive;
        if (!alive) {
            proxyProblem = detail;
        }
        publish();
    }

    public synchronized void registered(boolean ok, String problem) {
        registered = ok;
        registrationProblem = ok ? null : problem;
        publish();
    }

    /** A TLS peer fails ({@code problem}, one line) or, with {@code null}, none does any more ({@link TlsPeers}). */
    public synchronized void tls(String problem) {
        tlsProblem = problem;
        publish();
    }

    /**
     * A channel AOR's registration succeeded ({@code problem} null), failed ({@code problem} says how), or ended (the
     * channel closed: {@code null} too). UAs cannot reach a channel whose AOR is not registered, so a failure is DOWN.
     */
    public synchronized void channelRegistration(String aor, String problem) {
        if (problem == null) {
            channelProblems.remove(aor);
        } else {
            channelProblems.put(aor, problem);
        }
        publish();
    }

    public synchronized void closed() {
        closed = true;
        publish();
    }

    public synchronized LegState current() {
        return state();
    }

    private LegState state() {
        if (closed) {
            return new LegState(adapter, LegState.Status.CLOSED, "closed");
        }
        if (!proxyAlive) {
            return new LegState(adapter, LegState.Status.DOWN, proxyProblem);
        }
        if (tlsProblem != null) {
            return new LegState(adapter, LegState.Status.DOWN, tlsProblem);
        }
        if (!channelProblems.isEmpty()) {
            int others = channelProblems.size() - 1;
            return new LegState(adapter, LegState.Status.DOWN, channelProblems.values().iterator().next()
                    + (others == 0 ? "" : " (and " + others + " other channel AOR" + (others == 1 ? "" : "s") + ")"));
        }
        if (registrationRequired && !registered) {
            return registrationProblem == null
                    ? new LegState(adapter, LegState.Status.STARTING, listening + "; registering")
                    : new LegState(adapter, LegState.Status.DOWN, registrationProblem);
        }
        return new LegState(adapter, LegState.Status.READY, listening + (registrationRequired ? "; registered" : ""));
    }

    private void publish() {
        LegState now = state();
        if (!now.equals(last)) {
            last = now;
            sink.accept(now);
        }
    }
}
