package org.sigbridge.envelope;

/**
 * Text that is not the JSON a frame must be. Thrown at the edge by parsers and answered there in the
 * protocol's own terms ({@code invalid_json} error frame, SIP 400, ignored-and-counted XMPP stanza).
 */
public class InvalidJsonException extends Exception {

    public InvalidJsonException(String message) {
        super(message);
    }

    public InvalidJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
