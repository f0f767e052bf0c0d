package org.sigbridge.web.signalr.protocol;

import org.sigbridge.envelope.JsonValue;

/**
 * The server's records of the JSON hub protocol (docs/signalr.md#wire), each with its record separator. Pure.
 */
public final class HubFrames {

    /** The handshake response that accepts. */
    public static final String HANDSHAKE_OK = "{}" + HubRecords.RS;
    /** A keep-alive. */
    public static final String PING = "{\"type\":6}" + HubRecords.RS;

    private HubFrames() {
    }

    /** The handshake response that refuses; the server closes after it. */
    public static String handshakeError(String error) {
        return "{\"error\":" + JsonValue.string(error).json() + "}" + HubRecords.RS;
    }

    /** A non-blocking invocation of a client method (no {@code invocationId}), the broadcast's form. */
    public static String invocation(String target, JsonValue argument) {
        return "{\"type\":1,\"target\":" + JsonValue.string(target).json() + ",\"arguments\":[" + argument.json() + "]}"
                + HubRecords.RS;
    }

    /** The completion of a void hub method. */
    public static String completion(String invocationId) {
        return "{\"type\":3,\"invocationId\":" + JsonValue.string(invocationId).json() + "}" + HubRecords.RS;
    }

    /** The completion of a hub method with its result. */
    public static String completionResult(String invocationId, JsonValue result) {
        return "{\"type\":3,\"invocationId\":" + JsonValue.string(invocationId).json() + ",\"result\":" + result.json() + "}"
                + HubRecords.RS;
    }

    /** The completion of a hub method that failed. */
    public static String completionError(String invocationId, String error) {
        return "{\"type\":3,\"invocationId\":" + JsonValue.string(invocationId).json() + ",\"error\":"
                + JsonValue.string(error).json() + "}" + HubRecords.RS;
    }

    /** The server closes; {@code error} is {@code null} for a normal close. */
    public static String close(String error) {
        return error == null ? "{\"type\":7}" + HubRecords.RS
                : "{\"type\":7,\"error\":" + JsonValue.string(error).json() + "}" + HubRecords.RS;
    }
}
