package org.sigbridge.web.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.sigbridge.ops.Drain;
import org.sigbridge.ops.DrainStatus;
import org.sigbridge.web.session.SessionRegistry;
import org.sigbridge.web.spi.DrainState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drain on request ({@code POST /admin/drain}): stop accepting new WebSockets (upgrades answer 503
 * {@code shutting_down}, {@code /readyz} answers 503 so a load balancer moves traffic away), keep the open ones
 * until their clients leave or the deadline passes, then close what is left with 1001. XHR likewise: pollers the
 * mailbox knows keep being served, new ones get 503, and at the deadline held long polls are answered and every
 * later XHR request gets 503. Draining cannot be undone; stop the process (SIGTERM) once {@code connections} and
 * {@code pollers} reach 0. Thread-safe; the deadline runs on the adapter's timer.
 */
public final class DrainControl implements DrainState, Drain {

    private static final Logger log = LoggerFactory.getLogger(DrainControl.class);

    private final String adapter;
    private final SessionRegistry registry;
    private final IntSupplier pollers;
    private final Runnable atDeadline;
    private final Runnable beforeClose;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private Instant since;
    private Instant deadline;
    private boolean deadlinePassed;

    /**
     * @param pollers    XHR pollers still active now (0 without XHR), for {@link #status}
     * @param atDeadline runs on the timer when the deadline passes, after the sockets were closed (answers held long polls)
     */
    public DrainControl(String adapter, SessionRegistry registry, IntSupplier pollers, Runnable atDeadline,
                        ScheduledExecutorService timer, Clock clock) {
        this(adapter, registry, pollers, () -> { }, atDeadline, timer, clock);
    }

    /**
     * @param beforeClose runs on the timer when the deadline passes, before the sockets are closed: on a cluster the
     *                    leaves of clients that resume elsewhere are then held back (docs/cluster.md §4)
     */
    public DrainControl(String adapter, SessionRegistry registry, IntSupplier pollers, Runnable beforeClose, Runnable atDeadline,
                        ScheduledExecutorService timer, Clock clock) {
        this.beforeClose = beforeClose;
        this.adapter = adapter;
        this.registry = registry;
        this.pollers = pollers;
        this.atDeadline = atDeadline;
        this.timer = timer;
        this.clock = clock;
    }

    /**
     * Starts draining, or brings an earlier deadline forward. Any thread; never blocks.
     *
     * @return the status after the call
     */
    @Override
    public synchronized DrainStatus start(Duration within) {
        Instant now = clock.instant();
        Instant until = now.plus(within);
        if (since == null) {
            since = now;
            registry.stopAccepting();
            log.info("{}: draining: no new connections; {} open ones may stay until {}", adapter, registry.size(), until);
        }
        if (deadline == null || until.isBefore(deadline)) {
            deadline = until;
            timer.schedule(this::onDeadline, Math.max(0, within.toMillis()), TimeUnit.MILLISECONDS);
        }
        return status();
    }

    @Override
    public synchronized boolean draining() {
        return since != null;
    }

    @Override
    public synchronized boolean deadlinePassed() {
        return deadlinePassed;
    }

    /** Not draining with the open connections, or since when, until when, and what is still open ({@code pollers}: XHR pollers still active). */
    @Override
    public synchronized DrainStatus status() {
        if (since == null) {
            return DrainStatus.idle(registry.size());
        }
        return new DrainStatus(true, since.toString(), deadline.toString(), registry.size(), pollers.getAsInt());
    }

    private void onDeadline() {
        synchronized (this) {
            if (deadline == null || clock.instant().isBefore(deadline)) {
                return; // a later timer of a deadline that was brought forward already ran
            }
            if (deadlinePassed) {
                return;
            }
            deadlinePassed = true;
        }
        int left = registry.size();
        if (left > 0) {
            beforeClose.run();
            log.info("{}: drain deadline passed; closing {} connections with 1001", adapter, left);
            registry.closeAll("the bridge is draining");
        }
        atDeadline.run();
    }
}
