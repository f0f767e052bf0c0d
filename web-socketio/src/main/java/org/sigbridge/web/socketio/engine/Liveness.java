package org.sigbridge.web.socketio.engine;

import org.sigbridge.web.socketio.eio.codec.EioPacket;

/**
 * The keep-alive of one Engine.IO session, per revision ({@link EioRevision#liveness}): {@link ServerPings} (Engine.IO
 * 4: the server pings, the client pongs) or {@link ClientPings} (Engine.IO 3: the client pings, the server pongs).
 * A silent session is closed with {@code ping timeout}. Thread-safe; never blocks; timers run on the host's timer.
 */
interface Liveness {

    /** Starts the timers; called once, after the open packet is queued. */
    void start();

    /**
     * A packet from the client (any packet: Engine.IO 3 counts all of them as signs of life).
     *
     * @return true when it was a ping or pong, consumed here
     */
    boolean onPacket(EioPacket packet);

    /** Cancels the timers; idempotent. */
    void stop();
}
