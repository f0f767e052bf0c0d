package org.sigbridge.web.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.IceServerSettings;

/**
 * {@code GET /api/ice-servers}: the configured {@code ice-servers} as {@code {"iceServers":[RTCIceServer…]}} for
 * {@code new RTCPeerConnection(…)}; TURN entries with a {@code secret} get fresh time-limited credentials on every
 * request (TURN REST: username {@code <expiry unix seconds>:sigbridge}, credential base64 HMAC-SHA1 of the username).
 * Never cached by the browser. Jetty threads; pure, never blocks. An empty list means host candidates only.
 */
public final class IceServersApi {

    private static final String TURN_REST_USER = "sigbridge";

    private final List<IceServerSettings> servers;
    private final Clock clock;

    public IceServersApi(List<IceServerSettings> servers, Clock clock) {
        this.servers = List.copyOf(servers);
        this.clock = clock;
    }

    public void handle(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, body());
    }

    /** The JSON body, as sent now. */
    public String body() {
        StringBuilder sb = new StringBuilder("{\"iceServers\":[");
        for (int i = 0; i < servers.size(); i++) {
            IceServerSettings s = servers.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"urls\":[");
            for (int u = 0; u < s.urls().size(); u++) {
                sb.append(u > 0 ? "," : "").append(JsonValue.string(s.urls().get(u)).json());
            }
            sb.append(']');
            String username = s.username();
            String credential = s.credential() == null ? null : s.credential().reveal();
            if (s.secret() != null) {
                username = (clock.instant().getEpochSecond() + s.ttl().toSeconds()) + ":" + TURN_REST_USER;
                credential = hmacSha1(s.secret().reveal(), username);
            }
            if (username != null) {
                sb.append(",\"username\":").append(JsonValue.string(username).json())
                        .append(",\"credential\":").append(JsonValue.string(credential).json());
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    /** TURN REST credential: base64(HMAC-SHA1(secret, username)), as coturn checks it with use-auth-secret. */
    static String hmacSha1(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
