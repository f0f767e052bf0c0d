package org.sigbridge.web.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drain on request ({@code POST /admin/drain}): stop accepting new WebSockets (upgrades answer 503
 * {@code shutting_down}, {@code /readyz} answers 503 so a load balancer moves traffic away), keep the open ones
 * until their clients leave or the deadline passes, then close what is left with 1001. Draining cannot be undone;
 * stop the process (SIGTERM) once {@code connections} reaches 0. Thread-safe; the deadline runs on the adapter's
 * timer.
 */
public final class DrainControl {

    private static final Logger log = LoggerFactory.getLogger(DrainControl.class);

    private final String adapter;
    private final SessionRegistry registry;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private Instant since;
    private Instant deadline;

    public DrainControl(String adapter, SessionRegistry registry, ScheduledExecutorService timer, Clock clock) {
        this.adapter = adapter;
        this.registry = registry;
        this.timer = timer;
        this.clock = clock;
    }

    /**
     * Starts draining, or brings an earlier deadline forward. Any thread; never blocks.
     *
     * @return the status after the call
     */
    public synchronized String start(Duration within) {
        Instant now = clock.instant();
        Instant until = now.plus(within);
        if (since == null) {
            since = now;
            registry.stopAccepting();
            log.info("{}: draining: no new connections; {} open ones may stay until {}", adapter, registry.size(), until);
        }
        if (deadline == null || until.isBefore(deadline)) {
            deadline = until;
            timer.schedule(this::deadlinePassed, Math.max(0, within.toMillis()), TimeUnit.MILLISECONDS);
        }
        return status();
    }

    public synchronized boolean draining() {
        return since != null;
    }

    /** {@code {"draining":bool,"since":…,"deadline":…,"connections":n}}. */
    public synchronized String status() {
        if (since == null) {
            return "{\"draining\":false,\"connections\":" + registry.size() + "}\n";
        }
        return "{\"draining\":true,\"since\":" + JsonValue.string(since.toString()).json()
                + ",\"deadline\":" + JsonValue.string(deadline.toString()).json()
                + ",\"connections\":" + registry.size() + "}\n";
    }

    private void deadlinePassed() {
        synchronized (this) {
            if (deadline == null || clock.instant().isBefore(deadline)) {
                return; // a later timer of a deadline that was brought forward already ran
            }
        }
        int left = registry.size();
        if (left > 0) {
            log.info("{}: drain deadline passed; closing {} connections with 1001", adapter, left);
            registry.closeAll("the bridge is draining");
        }
    }
}
