package org.sigbridge.web.socketio.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.sigbridge.web.socketio.eio.codec.EioPacket;

/**
 * Engine.IO 4's keep-alive (docs/dialects.md §7.3): the server sends {@code 2} every ping interval; no {@code 3} within
 * the ping timeout closes the session. A ping from the client is out of place and ignored (counted by the session).
 * The waits are entries of the engine's two {@link DeadlineQueue}s ({@link Queues}), not timers of their own.
 */
final class ServerPings implements Liveness, DeadlineQueue.Timed {

    /** The engine's queues: one for the ping interval, one for the ping timeout (every session waits the same). */
    record Queues(DeadlineQueue interval, DeadlineQueue timeout) {
        Queues(ScheduledExecutorService timer, Duration interval, Duration timeout) {
            this(new DeadlineQueue(timer, interval), new DeadlineQueue(timer, timeout));
        }
    }

    private static final long NONE = Long.MIN_VALUE;

    private final EioSession session;
    private final Queues queues;
    // guarded by this
    private boolean stopped;
    /** The deadline of the next ping, or {@link #NONE}. */
    private long pingAt = NONE;
    /** The deadline of the pong awaited, or {@link #NONE}. */
    private long pongBy = NONE;

    ServerPings(EioSession session, Queues queues) {
        this.session = session;
        this.queues = queues;
    }

    @Override
    public synchronized void start() {
        if (!stopped) {
            pingAt = queues.interval().add(this);
        }
    }

    @Override
    public void due(DeadlineQueue queue, long deadline) {
        if (queue == queues.interval()) {
            synchronized (this) {
                if (stopped || pingAt != deadline) {
                    return;
                }
                pingAt = NONE;
                pongBy = queues.timeout().add(this);
            }
            session.send(EioPacket.PING);
            return;
        }
        synchronized (this) {
            if (stopped || pongBy != deadline) {
                return; // answered in time (or closed) since
            }
            pongBy = NONE;
        }
        session.close("ping timeout");
    }

    @Override
    public boolean onPacket(EioPacket packet) {
        if (packet.type() != EioPacket.Type.PONG) {
            return false;
        }
        boolean awaited;
        synchronized (this) {
            awaited = pongBy != NONE;
            pongBy = NONE;
        }
        if (awaited) {
            start();
        }
        return true;
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        pingAt = NONE;
        pongBy = NONE;
    }
}
