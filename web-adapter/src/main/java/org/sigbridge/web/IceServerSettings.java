package org.sigbridge.web;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;
import java.util.List;
import org.sigbridge.config.Check;
import org.sigbridge.config.Secret;

/**
 * One entry of the {@code ice-servers:} list: a STUN or TURN server the bridge hands to its pages
 * ({@code GET /api/ice-servers}, read by the demo page and {@code SigBridge.iceServers()} in {@code sigbridge.js}),
 * in the shape of WebRTC's {@code RTCIceServer}.
 *
 * <p>A TURN server takes either fixed {@code username} and {@code credential}, or a shared {@code secret}: then each
 * request gets a time-limited pair by the TURN REST scheme coturn's {@code use-auth-secret} and signalmaster use
 * (username {@code <expiry>:sigbridge}, credential base64 HMAC-SHA1 of the username with the secret), valid for
 * {@code ttl}.
 *
 * @param urls       {@code stun:host:port}, {@code turn:host:port?transport=udp}, {@code turns:…}; one or a list
 * @param username   a fixed TURN username; absent for STUN or with {@code secret}
 * @param credential a fixed TURN password; write {@code ${TURN_PASSWORD}}
 * @param secret     the TURN server's shared secret for time-limited credentials; write {@code ${TURN_SECRET}}
 * @param ttl        how long minted credentials stay valid; default 1d
 */
public record IceServerSettings(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> urls,
                                String username, Secret credential, Secret secret, Duration ttl) {

    public IceServerSettings {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("urls is missing; write e.g. urls: stun:stun.example.org:3478");
        }
        urls = List.copyOf(urls);
        boolean turn = false;
        for (String url : urls) {
            if (url == null || !url.matches("(stun|stuns|turn|turns):[^\\s]+")) {
                throw new IllegalArgumentException("urls entry '" + url + "' must start with stun:, stuns:, turn: or turns:, "
                        + "e.g. stun:stun.example.org:3478 or turn:turn.example.org:3478?transport=udp");
            }
            turn |= url.startsWith("turn");
        }
        username = Check.blankToNull(username);
        credential = credential == null || credential.reveal().isBlank() ? null : credential;
        secret = secret == null || secret.reveal().isBlank() ? null : secret;
        if (secret != null && (username != null || credential != null)) {
            throw new IllegalArgumentException("secret mints time-limited credentials; give either secret or username and credential");
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("credential and username go together; give both, or neither");
        }
        if (turn && secret == null && username == null) {
            throw new IllegalArgumentException("secret (TURN REST, as coturn's use-auth-secret) or username and credential: "
                    + "a turn: server needs one of them");
        }
        ttl = Check.positive("ttl", ttl, Duration.ofDays(1));
    }
}
