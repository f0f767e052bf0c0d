package org.sigbridge.web.peerjs;

import org.sigbridge.envelope.JsonValue;

/**
 * The server's PeerJS frames, as the reference {@code peer} server 1.0.2 writes them (docs/dialects.md §8). Pure.
 */
final class PeerFrames {

    static final String OPEN = "{\"type\":\"OPEN\"}";
    static final String NO_PARAMETERS = error("No id, token, or key supplied to websocket server");
    static final String INVALID_KEY = error("Invalid key provided");
    static final String LIMIT_REACHED = error("Server has reached its concurrent user limit");
    static final String ID_TAKEN = "{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}";

    private PeerFrames() {
    }

    /** {@code {"type":"ERROR","payload":{"msg":…}}}. */
    static String error(String msg) {
        return "{\"type\":\"ERROR\",\"payload\":{\"msg\":" + JsonValue.string(msg).json() + "}}";
    }

    /**
     * A relayed message, {@code {"type","src","dst","payload"}} with only those keys; {@code payload} is left out when
     * {@code null}.
     */
    static String relay(String type, String src, String dst, JsonValue payload) {
        StringBuilder sb = new StringBuilder(64 + (payload == null ? 0 : payload.json().length()));
        sb.append("{\"type\":").append(JsonValue.string(type).json())
                .append(",\"src\":").append(JsonValue.string(src).json())
                .append(",\"dst\":").append(JsonValue.string(dst).json());
        if (payload != null) {
            sb.append(",\"payload\":").append(payload.json());
        }
        return sb.append('}').toString();
    }

    /** {@code EXPIRE} from the absent {@code dst} back to the original sender. */
    static String expire(String absent, String sender) {
        return relay(PeerMessage.EXPIRE, absent, sender, null);
    }

    /** {@code LEAVE} from a peer whose socket failed, to the sender whose message could not be written. */
    static String leave(String gone, String sender) {
        return relay(PeerMessage.LEAVE, gone, sender, null);
    }
}
