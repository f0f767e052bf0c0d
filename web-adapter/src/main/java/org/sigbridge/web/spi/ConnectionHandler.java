package org.sigbridge.web.spi;

import org.sigbridge.spi.Endpoint;

/**
 * A dialect's logic for one {@link WebConnection}: reads its messages and is its hub endpoint. Created by a
 * {@link Factory} when the connection opens.
 *
 * <p>Threads: {@link #onOpen}, {@link #onText}, {@link #onBinary} and {@link #onClosed} are called by the connection's
 * reader, one at a time and never concurrently, and must not block (they may publish to the hub, which only
 * enqueues). {@link #dialect()} and {@link #endpoint()} may be called from any thread.
 */
public interface ConnectionHandler {

    /** Builds the handler of a connection that just opened. Reader thread. */
    @FunctionalInterface
    interface Factory {
        ConnectionHandler open(WebConnection connection);
    }

    /** The dialect name to count the connection under now (see {@link WebConnection#dialect()}). */
    String dialect();

    /** The hub endpoint of this connection. */
    Endpoint endpoint();

    /** The connection is registered and about to read its first message. */
    default void onOpen() {
    }

    /** A whole text message, valid UTF-8 and at most {@code max-frame-bytes} long. */
    void onText(String text);

    /** A whole binary message arrived (its bytes are not kept). */
    void onBinary();

    /** The connection is gone; called once. Leave the hub here. */
    void onClosed();
}
