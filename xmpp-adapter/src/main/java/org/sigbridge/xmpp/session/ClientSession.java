package org.sigbridge.xmpp.session;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.sigbridge.support.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XMPP identity's connection, kept up with jittered, capped backoff.
 *
 * <p>Each attempt builds a fresh {@link XMPPTCPConnection}, so no Smack state (MUC joins, stream
 * management) survives an outage: the owner rejoins its rooms on every {@link Listener#online}. Smack's
 * own {@link ReconnectionManager} is switched off for that connection (a per-connection setting, not the
 * static default). Stream management is off too: a resumed stream would hide an outage from the rooms.
 *
 * <p>Threading: state is confined to the adapter's single worker thread; {@link #start()} and
 * {@link #close()} may be called from any thread and hop onto it. Connect and login block, so they run on
 * the request executor; Smack's connection listener only enqueues. Listener callbacks run on the worker.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** Told about the session's state, on the worker thread. Must not block. */
    public interface Listener {
        /** Logged in; {@code connection} stays valid until the next {@link #offline}. */
        void online(ClientSession session, XMPPTCPConnection connection);

        /** Could not connect or lost the connection; the next attempt starts after {@code retryIn}. */
        void offline(ClientSession session, String reason, Duration retryIn);
    }

    private final String label;
    private final Identity identity;
    private final ConnectionConfigs configs;
    private final Backoff backoff;
    private final ScheduledExecutorService worker;
    private final Executor requests;
    private final Duration requestTimeout;
    private final Listener listener;
    private final Runnable unparsable;

    // worker-confined
    private XMPPTCPConnection current;
    private int generation;
    private boolean connecting;
    private boolean closed;
    private ScheduledFuture<?> retry;
    private volatile XMPPTCPConnection online;

    /**
     * @param unparsable counts one incoming stanza Smack could not parse (called on Smack's reader thread; must only
     *                   count). Such a stanza is skipped and the connection kept: Smack's default would close it, so
     *                   any room occupant could knock the bridge out with one malformed extension (a bad XEP-0203
     *                   {@code delay} stamp, say).
     */
    public ClientSession(String label, Identity identity, ConnectionConfigs configs, Backoff backoff,
                         ScheduledExecutorService worker, Executor requests, Duration requestTimeout, Listener listener,
                         Runnable unparsable) {
        this.label = Objects.requireNonNull(label, "label");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.configs = Objects.requireNonNull(configs, "configs");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.unparsable = Objects.requireNonNull(unparsable, "unparsable");
    }

    /** Starts connecting in the background. Any thread. */
    public void start() {
        onWorker(this::attempt);
    }

    /** The logged-in connection, or {@code null} while down. Any thread. */
    public XMPPTCPConnection connection() {
        return online;
    }

    public boolean isOnline() {
        return online != null;
    }

    public Identity identity() {
        return identity;
    }

    /** {@code alice@localhost} or the full JID once bound. */
    public String describe() {
        XMPPTCPConnection c = online;
        return c != null && c.getUser() != null ? c.getUser().toString() : identity.toString();
    }

    /**
     * Stops reconnecting and disconnects (which takes the occupant out of every room: an unavailable
     * presence, XEP-0045 §7.14). Worker thread. The disconnect itself runs on {@code disconnector} when given,
     * else inline (bounded by Smack's reply timeout).
     */
    public void close(Executor disconnector) {
        if (closed) {
            return;
        }
        closed = true;
        if (retry != null) {
            retry.cancel(false);
        }
        XMPPTCPConnection c = current;
        current = null;
        online = null;
        if (c != null) {
            try {
                disconnector.execute(c::disconnect);
            } catch (RejectedExecutionException e) {
                c.disconnect();
            }
        }
    }

    private void attempt() {
        if (closed || connecting || current != null) {
            return;
        }
        connecting = true;
        int gen = ++generation;
        try {
            requests.execute(() -> connect(gen));
        } catch (RejectedExecutionException e) {
            connecting = false; // shutting down
        }
    }

    /** Request thread: blocking connect + login. */
    private void connect(int gen) {
        XMPPTCPConnection conn = null;
        CertificateWitness witness = configs.newWitness();
        try {
            conn = new XMPPTCPConnection(configs.build(identity, witness));
            ReconnectionManager.getInstanceFor(conn).disableAutomaticReconnection();
            conn.setUseStreamManagement(false);
            conn.setReplyTimeout(requestTimeout.toMillis());
            conn.setParsingExceptionCallback(stanza -> {
                unparsable.run();
                log.debug("{}: skipped a stanza Smack cannot parse ({}): {}", label, oneLine(stanza.getParsingException()),
                        stanza.getContent());
            });
            Roster.getInstanceFor(conn).setRosterLoadedAtLogin(false);
            XMPPTCPConnection c = conn;
            conn.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    onWorker(() -> lost(gen, c, "connection lost: " + oneLine(e)));
                }
            });
            conn.connect().login();
            onWorker(() -> connected(gen, c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnectQuietly(conn);
            onWorker(() -> lost(gen, null, "interrupted"));
        } catch (IOException | SmackException | XMPPException | RuntimeException e) {
            disconnectQuietly(conn);
            LoginFailure failure = LoginFailure.of(e, witness, configs, identity);
            log.debug("{}: login failed", label, e); // the one stack trace; the leg state carries the line
            onWorker(() -> lost(gen, null, failure.line()));
        }
    }

    private void connected(int gen, XMPPTCPConnection conn) {
        if (closed || gen != generation) {
            requests.execute(conn::disconnect);
            return;
        }
        connecting = false;
        current = conn;
        online = conn;
        backoff.reset();
        log.debug("{}: online as {}", label, conn.getUser());
        listener.online(this, conn);
    }

    private void lost(int gen, XMPPTCPConnection conn, String reason) {
        if (closed || gen != generation || (conn != null && conn != current)) {
            return;
        }
        connecting = false;
        current = null;
        online = null;
        Duration delay = backoff.next();
        log.debug("{}: {}; retry in {} ms", label, reason, delay.toMillis());
        listener.offline(this, reason, delay);
        retry = worker.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("{}: worker stopped, dropping a session event", label);
        }
    }

    private static void disconnectQuietly(XMPPTCPConnection conn) {
        if (conn != null) {
            conn.disconnect();
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replaceAll("\\s*\\R\\s*", " "));
    }
}
