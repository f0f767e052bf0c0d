package org.sigbridge.web.socketio.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sigbridge.web.socketio.eio.codec.EioPacket;

/**
 * Engine.IO 4's keep-alive (docs/dialects.md §7.3): the server sends {@code 2} every ping interval; no {@code 3} within
 * the ping timeout closes the session. A ping from the client is out of place and ignored (counted by the session).
 */
final class ServerPings implements Liveness {

    private final EioSession session;
    private final long intervalMillis;
    private final long timeoutMillis;
    // guarded by this
    private boolean stopped;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pongDeadline;

    ServerPings(EioSession session, Duration interval, Duration timeout) {
        this.session = session;
        this.intervalMillis = interval.toMillis();
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public synchronized void start() {
        if (!stopped) {
            pingTask = session.timer().schedule(this::ping, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void ping() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            pongDeadline = session.timer().schedule(() -> session.close("ping timeout"), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        session.send(EioPacket.PING);
    }

    @Override
    public boolean onPacket(EioPacket packet) {
        if (packet.type() != EioPacket.Type.PONG) {
            return false;
        }
        ScheduledFuture<?> deadline;
        synchronized (this) {
            deadline = pongDeadline;
            pongDeadline = null;
        }
        if (deadline != null) {
            deadline.cancel(false);
            start();
        }
        return true;
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        if (pongDeadline != null) {
            pongDeadline.cancel(false);
        }
    }
}
