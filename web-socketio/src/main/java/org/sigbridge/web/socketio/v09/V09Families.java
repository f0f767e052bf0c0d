package org.sigbridge.web.socketio.v09;

import java.util.Locale;
import org.sigbridge.web.socketio.overnodejs.OverNodeJsFamily;
import org.sigbridge.web.socketio.relay.MessageRelay;
import org.sigbridge.web.socketio.reliable.ReliableSignalerFamily;
import org.sigbridge.web.socketio.sio.SocketFamily;

/**
 * The families a 0.9 connection may speak and the rule that picks one (docs/socketio-09.md "Which family"): the
 * handshake query {@code family=message-relay|socketio-over-nodejs|reliable-signaler} fixes it; without it
 * ({@link Mode#AUTO}) the root socket speaks Reliable-Signaler (the broadcast {@code message} relay plus its room
 * events) until its first root event is {@code new-channel} or {@code presence}, which makes the connection a
 * socketio-over-nodejs one; namespace sockets connected after that are socketio-over-nodejs channels, before it (or
 * in the other modes) the relay's namespace channels.
 *
 * @param relay     the broadcast {@code message} relay (shared with Socket.IO v5 connections)
 * @param overNodeJs socketio-over-nodejs
 * @param reliable  Reliable-Signaler
 */
public record V09Families(MessageRelay relay, OverNodeJsFamily overNodeJs, ReliableSignalerFamily reliable) {

    /** What a connection speaks. */
    public enum Mode {
        AUTO, RELAY, OVER_NODEJS, RELIABLE;

        /**
         * The mode named by a {@code family} query value; {@code null} or empty is {@link #AUTO}.
         *
         * @throws IllegalArgumentException for an unknown name
         */
        public static Mode of(String family) {
            if (family == null || family.isEmpty()) {
                return AUTO;
            }
            return switch (family.toLowerCase(Locale.ROOT)) {
                case "message-relay" -> RELAY;
                case "socketio-over-nodejs" -> OVER_NODEJS;
                case "reliable-signaler" -> RELIABLE;
                default -> throw new IllegalArgumentException("unknown family '" + family
                        + "' (message-relay, socketio-over-nodejs or reliable-signaler)");
            };
        }
    }

    /** The family of a socket on {@code namespace} for a connection in {@code mode}. */
    SocketFamily pick(Mode mode, String namespace) {
        boolean root = namespace.equals("/");
        return switch (mode) {
            case RELAY -> relay;
            case OVER_NODEJS -> overNodeJs;
            case RELIABLE, AUTO -> root ? reliable : relay;
        };
    }

    /** Whether a root event makes an {@link Mode#AUTO} connection a socketio-over-nodejs one. */
    static boolean announcesOverNodeJs(String event) {
        return event.equals("new-channel") || event.equals("presence");
    }
}
