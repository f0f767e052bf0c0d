package org.sigbridge.web;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import org.sigbridge.config.Check;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;

/**
 * The {@code socketio.signalmaster:} subsection: the ICE servers the signalmaster family sends each SimpleWebRTC page
 * as it connects ({@code stunservers}, {@code turnservers}; docs/socketio.md), as signal-master's
 * {@code stunservers}/{@code turnservers}/{@code turnorigins} config does.
 *
 * @param stunServers STUN URLs, sent as {@code [{"urls": url}, …]}; default {@code stun:stun.l.google.com:19302}, as
 *                    signal-master's example config
 * @param turnServers TURN URLs; sent with time-limited credentials (the TURN REST scheme: username = expiry time in
 *                    unix seconds, credential = base64(HMAC-SHA1(turn-secret, username))); default none
 * @param turnSecret  the secret shared with the TURN server; required when {@code turn-servers} is set; write
 *                    {@code ${NAME}}
 * @param turnExpiry  how long vended credentials stay valid; default 86400s (signal-master's)
 * @param turnOrigins page origins that get TURN credentials; default: every page (an empty list)
 */
public record SignalmasterSettings(List<String> stunServers, List<String> turnServers,
                                   @JsonDeserialize(using = OptionalSecret.class) Secret turnSecret,
                                   Duration turnExpiry, List<String> turnOrigins) {

    public static final SignalmasterSettings DEFAULTS = new SignalmasterSettings(null, null, null, null, null);

    public SignalmasterSettings {
        stunServers = stunServers == null ? List.of("stun:stun.l.google.com:19302") : List.copyOf(stunServers);
        turnServers = turnServers == null ? List.of() : List.copyOf(turnServers);
        turnExpiry = turnExpiry == null ? Duration.ofDays(1) : turnExpiry;
        turnOrigins = turnOrigins == null ? List.of() : List.copyOf(turnOrigins);
        Check.positive("socketio.signalmaster.turn-expiry", turnExpiry, "86400s");
        if (!turnServers.isEmpty() && turnSecret == null) {
            throw new IllegalArgumentException("socketio.signalmaster.turn-servers needs socketio.signalmaster.turn-secret, "
                    + "the secret shared with the TURN server (e.g. ${SIGBRIDGE_TURN_SECRET})");
        }
        for (String url : stunServers) {
            if (!url.startsWith("stun:") && !url.startsWith("stuns:")) {
                throw new IllegalArgumentException("socketio.signalmaster.stun-servers: '" + url + "' is not a stun: or stuns: URL");
            }
        }
        for (String url : turnServers) {
            if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
                throw new IllegalArgumentException("socketio.signalmaster.turn-servers: '" + url + "' is not a turn: or turns: URL");
            }
        }
    }
}
