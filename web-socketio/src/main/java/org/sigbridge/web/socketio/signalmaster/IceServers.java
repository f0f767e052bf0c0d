package org.sigbridge.web.socketio.signalmaster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.SignalmasterSettings;

/**
 * The ICE servers signal-master sends each client as it connects (docs/dialects.md §6.5): {@code stunservers} from
 * config, and {@code turnservers} with TURN REST credentials — username the expiry time in unix seconds, credential
 * base64(HMAC-SHA1(secret, username)) — for pages whose {@code Origin} is allowed. Immutable; any thread.
 */
final class IceServers {

    private final SignalmasterSettings settings;
    private final Clock clock;
    private final JsonValue stun;

    IceServers(SignalmasterSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        StringBuilder sb = new StringBuilder("[");
        for (String url : settings.stunServers()) {
            sb.append(sb.length() == 1 ? "" : ",").append("{\"urls\":").append(JsonValue.string(url).json()).append('}');
        }
        this.stun = new JsonValue(sb.append(']').toString());
    }

    /** The {@code stunservers} argument: {@code [{"urls": url}, …]}. */
    JsonValue stun() {
        return stun;
    }

    /**
     * The {@code turnservers} argument for a page: {@code [{username, credential, urls}]}, or {@code []} when no TURN
     * server is configured or the page's origin is not in {@code turn-origins}.
     *
     * @param origin the page's {@code Origin}, or {@code null}
     */
    JsonValue turn(String origin) {
        if (settings.turnServers().isEmpty()
                || (!settings.turnOrigins().isEmpty() && (origin == null || !settings.turnOrigins().contains(origin)))) {
            return new JsonValue("[]");
        }
        String username = Long.toString(clock.instant().getEpochSecond() + settings.turnExpiry().toSeconds());
        StringBuilder urls = new StringBuilder("[");
        for (String url : settings.turnServers()) {
            urls.append(urls.length() == 1 ? "" : ",").append(JsonValue.string(url).json());
        }
        return new JsonValue("[{\"username\":" + JsonValue.string(username).json() + ",\"credential\":"
                + JsonValue.string(credential(settings.turnSecret().reveal(), username)).json() + ",\"urls\":" + urls.append(']') + "}]");
    }

    /** base64(HMAC-SHA1(secret, username)), the TURN REST credential (draft-uberti-behave-turn-rest). */
    static String credential(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java platform", e);
        }
    }
}
