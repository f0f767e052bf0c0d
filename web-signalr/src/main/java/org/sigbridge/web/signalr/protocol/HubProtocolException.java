package org.sigbridge.web.signalr.protocol;

/**
 * Input that is not the JSON hub protocol (docs/signalr.md#wire): a frame without the record separator, a record that
 * is not a JSON object, a missing or mistyped property, an unknown message type, a record over the size limit. The
 * message is written for the client, in the words of an ASP.NET Core server where it has some, and is what the
 * connection's Close message (or handshake response) carries. Thrown by the pure readers of this package only.
 */
public final class HubProtocolException extends Exception {

    public HubProtocolException(String message) {
        super(message, null, false, false);
    }
}
