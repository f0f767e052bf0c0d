package org.sigbridge.web.signalr.protocol;

import java.util.List;
import org.sigbridge.envelope.JsonValue;

/**
 * One client-to-server message of the JSON hub protocol (docs/signalr.md#wire), as {@link HubMessageReader} reads it.
 * Immutable.
 */
public sealed interface HubMessage {

    /** Message types of the hub protocol. */
    int INVOCATION = 1;
    int STREAM_ITEM = 2;
    int COMPLETION = 3;
    int STREAM_INVOCATION = 4;
    int CANCEL_INVOCATION = 5;
    int PING = 6;
    int CLOSE = 7;
    int ACK = 8;
    int SEQUENCE = 9;

    /**
     * Type 1: call a hub method.
     *
     * @param invocationId {@code null} for a non-blocking call ({@code connection.send}), else the id to complete
     * @param target       the hub method's name as written
     * @param arguments    the arguments as exact JSON
     */
    record Invocation(String invocationId, String target, List<JsonValue> arguments) implements HubMessage {
        public Invocation {
            arguments = List.copyOf(arguments);
        }
    }

    /** Type 4: call a streaming hub method. */
    record StreamInvocation(String invocationId, String target) implements HubMessage {
    }

    /** Type 5: cancel a stream. */
    record CancelInvocation(String invocationId) implements HubMessage {
    }

    /** Type 6: keep-alive. */
    record Ping() implements HubMessage {
    }

    /** Type 7: the client closes, with its error if any. */
    record Close(String error) implements HubMessage {
    }

    /**
     * Types 2, 3, 8 and 9: a stream item or completion the server never asked for (client streams and client results),
     * or stateful-reconnect bookkeeping this server never offered.
     */
    record Unsolicited(int type) implements HubMessage {
    }
}
