package org.sigbridge.web.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.sigbridge.config.Secret;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.routing.RoutePattern;

/**
 * Checks identity tokens: JWT compact form, {@code alg} exactly {@code HS256} (never {@code none}), a valid
 * HMAC-SHA256 under the configured secret, a string {@code sub} (the sender), a numeric {@code exp} in the future
 * and no further away than {@code max-ttl}, and an optional {@code channels} glob. Pure and thread-safe; the
 * signature is compared in constant time.
 */
public final class TokenVerifier {

    /** Longest token accepted; a browser URL stays well below this. */
    public static final int MAX_TOKEN_CHARS = 4096;

    private final Hs256 mac;
    private final Duration maxTtl;
    private final Clock clock;

    public TokenVerifier(Secret secret, Duration maxTtl, Clock clock) {
        this.mac = new Hs256(secret);
        this.maxTtl = maxTtl;
        this.clock = clock;
    }

    public TokenVerdict verify(String token) {
        if (token == null || token.isEmpty()) {
            return refused("no token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return refused("token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return refused("malformed token: expected header.payload.signature");
        }
        Map<String, JsonValue> header;
        Map<String, JsonValue> claims;
        byte[] signature;
        try {
            header = JsonObjectReader.readObject(decode(parts[0]));
            claims = JsonObjectReader.readObject(decode(parts[1]));
            signature = Hs256.B64_DECODE.decode(parts[2]);
        } catch (IllegalArgumentException | InvalidJsonException e) {
            return refused("malformed token: not base64url JSON");
        }
        JsonValue alg = header.get("alg");
        if (alg == null || !alg.isString() || !alg.asText().equals("HS256")) {
            return refused("token algorithm must be HS256");
        }
        if (!MessageDigest.isEqual(signature, mac.sign(parts[0] + "." + parts[1]))) {
            return refused("token signature does not verify (forged, altered, or signed with another secret)");
        }
        return checkClaims(claims);
    }

    private TokenVerdict checkClaims(Map<String, JsonValue> claims) {
        JsonValue sub = claims.get("sub");
        if (sub == null || !sub.isString() || sub.asText().isEmpty()) {
            return refused("token has no sender (claim 'sub')");
        }
        Optional<Instant> exp = seconds(claims.get("exp"));
        if (exp.isEmpty()) {
            return refused("token has no expiry (claim 'exp', seconds since 1970)");
        }
        Instant now = clock.instant();
        if (!now.isBefore(exp.get())) {
            return refused("token expired at " + exp.get());
        }
        Optional<Instant> iat = seconds(claims.get("iat"));
        Instant from = iat.filter(i -> i.isBefore(now)).orElse(now);
        if (Duration.between(from, exp.get()).compareTo(maxTtl) > 0) {
            return refused("token lives longer than identity.max-ttl (" + maxTtl + "); mint a shorter one");
        }
        JsonValue channels = claims.get("channels");
        Optional<String> glob = Optional.empty();
        if (channels != null && !channels.isNull()) {
            if (!channels.isString() || channels.asText().isEmpty()) {
                return refused("token claim 'channels' must be a non-empty glob such as room-*");
            }
            RoutePattern.glob(channels.asText()); // a non-empty glob always compiles
            glob = Optional.of(channels.asText());
        }
        return new TokenVerdict.Accepted(new Identity(sub.asText(), glob, exp.get()));
    }

    private static Optional<Instant> seconds(JsonValue value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.json())));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String decode(String part) {
        return new String(Hs256.B64_DECODE.decode(part), StandardCharsets.UTF_8);
    }

    private static TokenVerdict refused(String detail) {
        return new TokenVerdict.Refused(detail);
    }
}
