package org.sigbridge.testkit.peers;

/**
 * A real peer could not be started, stopped or driven. The message says which peer, what went wrong and,
 * where there is one, ends with the tail of the peer's log.
 */
public final class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PeerException(String message) {
        super(message);
    }

    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
