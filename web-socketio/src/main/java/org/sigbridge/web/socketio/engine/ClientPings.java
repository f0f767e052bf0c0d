package org.sigbridge.web.socketio.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sigbridge.web.socketio.eio.codec.EioPacket;

/**
 * Engine.IO 3's keep-alive (docs/dialects.md §7.2): the client sends {@code 2} every ping interval and the server
 * answers {@code 3} with the same data; any packet from the client is a sign of life, and none for ping interval +
 * ping timeout closes the session, as engine.io 3's server does. One timer per session, re-armed lazily: it checks
 * the time of the last packet when it fires rather than being rescheduled on every packet.
 */
final class ClientPings implements Liveness {

    private final EioSession session;
    private final long windowNanos;
    private volatile long lastSeen = System.nanoTime();
    // guarded by this
    private boolean stopped;
    private ScheduledFuture<?> check;

    ClientPings(EioSession session, Duration window) {
        this.session = session;
        this.windowNanos = window.toNanos();
    }

    @Override
    public void start() {
        arm(windowNanos);
    }

    private synchronized void arm(long delayNanos) {
        if (!stopped) {
            check = session.timer().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long silent = System.nanoTime() - lastSeen;
        if (silent >= windowNanos) {
            session.close("ping timeout");
        } else {
            arm(windowNanos - silent);
        }
    }

    @Override
    public boolean onPacket(EioPacket packet) {
        lastSeen = System.nanoTime();
        if (packet.type() == EioPacket.Type.PING) {
            session.send(new EioPacket(EioPacket.Type.PONG, packet.data()));
            return true;
        }
        return packet.type() == EioPacket.Type.PONG;
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (check != null) {
            check.cancel(false);
        }
    }
}
