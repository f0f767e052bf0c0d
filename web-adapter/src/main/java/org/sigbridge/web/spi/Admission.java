package org.sigbridge.web.spi;

import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;

/** A dialect's answer to a WebSocket upgrade request on one of its paths. */
public sealed interface Admission {

    /** Upgrade; {@code handler} builds the connection's handler once it is open. */
    record Accept(ConnectionHandler.Factory handler) implements Admission {
    }

    /**
     * Refuse with an HTTP status and a JSON error body (DESIGN shape {@code {"error":{"code","detail"}}}); the host
     * counts it by {@code reason} and {@code code} and logs it.
     */
    record Refuse(int status, UpgradeRefusal reason, ErrorCode code, String detail) implements Admission {
    }
}
