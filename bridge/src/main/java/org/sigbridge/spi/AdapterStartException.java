package org.sigbridge.spi;

/** An adapter could not start; the message is one operator-facing line (what, where, how to fix). */
public final class AdapterStartException extends Exception {

    public AdapterStartException(String message) {
        super(message);
    }

    public AdapterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
