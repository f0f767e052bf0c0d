package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Check;

/**
 * The {@code socketio.connection-state-recovery:} subsection: socket.io 4.6+ connection state recovery on Engine.IO 4
 * (docs/socketio.md, "Connection state recovery"). Present: the bridge hands each socket a private session id
 * ({@code pid}) and every relayed event an offset, and a client that reconnects with them within
 * {@code max-disconnection-duration} gets what it missed ({@code socket.recovered === true}). Absent: off, as in
 * socket.io.
 *
 * @param maxDisconnectionDuration how long after its transport broke a client may come back and recover; default 2m as
 *                                 socket.io's; what it missed must also still be in the channel's history
 *                                 ({@code bridge.history})
 */
public record SocketIoRecoverySettings(Duration maxDisconnectionDuration) {

    public SocketIoRecoverySettings {
        maxDisconnectionDuration = Check.positive("connection-state-recovery.max-disconnection-duration",
                maxDisconnectionDuration, Duration.ofMinutes(2));
        if (maxDisconnectionDuration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("connection-state-recovery.max-disconnection-duration must be at most 1h");
        }
    }
}
