package org.sigbridge.web.session;

/** What a dialect may do to its connection besides writing. Non-blocking; safe from any thread. */
public interface SocketControl {

    /** Starts a close handshake with an RFC 6455 §7.4 status code; frames already written go out first. */
    void close(int statusCode, String reason);
}
