package org.sigbridge.web.socketio.eio.codec;

/**
 * Input that is not a packet of the protocol revision being decoded. The message says what was wrong, for the log;
 * the caller answers as the reference server does (it ends the session) and counts it.
 */
public final class MalformedPacketException extends Exception {

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
