package org.sigbridge.web.socketio.v09;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeats of one 0.9 session (docs/socketio-09.md): {@code interval} after {@link #start} (and after each
 * answered heartbeat) {@code send} runs; when the client does not answer within {@code timeout}, {@code timedOut} runs.
 * Runs on the adapter's timer; any thread may call; nothing blocks; after {@link #stop} nothing more runs.
 */
final class Heartbeats {

    private final ScheduledExecutorService timer;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final Runnable send;
    private final Runnable timedOut;
    // guarded by this
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> deadline;
    private boolean stopped;

    Heartbeats(ScheduledExecutorService timer, long intervalMillis, long timeoutMillis, Runnable send, Runnable timedOut) {
        this.timer = timer;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.send = send;
        this.timedOut = timedOut;
    }

    /** Schedules the next heartbeat. */
    synchronized void start() {
        if (!stopped) {
            cancel(next);
            next = timer.schedule(this::beat, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void beat() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            cancel(deadline);
            deadline = timer.schedule(timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        send.run();
    }

    /** The client's heartbeat: the deadline is lifted and the next heartbeat scheduled (one not asked for is ignored). */
    void answered() {
        ScheduledFuture<?> due;
        synchronized (this) {
            due = deadline;
            deadline = null;
        }
        if (due != null) {
            due.cancel(false);
            start();
        }
    }

    synchronized void stop() {
        stopped = true;
        cancel(next);
        cancel(deadline);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
