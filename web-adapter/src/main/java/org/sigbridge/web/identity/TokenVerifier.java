package org.sigbridge.web.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.sigbridge.config.Secret;
import org.sigbridge.routing.RoutePattern;

/**
 * Checks identity tokens with Nimbus JOSE+JWT: JWT compact form, {@code alg} exactly {@code HS256} (never
 * {@code none}), no {@code crit} header parameter (we understand none, so any is refused, RFC 7515 §4.1.11), a valid
 * HMAC-SHA256 under the configured secret (compared in constant time by {@link MACVerifier}), a string {@code sub}
 * (the sender), a numeric {@code exp} in the future and no further away than {@code max-ttl}, an {@code nbf}, when
 * present, not in the future (RFC 7519 §4.1.5), no {@code aud} (the bridge identifies with no audience, so a token
 * minted for one is refused, RFC 7519 §4.1.3), and an optional {@code channels} glob. Thread-safe; no clock skew
 * is allowed, as before.
 */
public final class TokenVerifier {

    /** Longest token accepted; a browser URL stays well below this. */
    public static final int MAX_TOKEN_CHARS = 4096;

    private final MACVerifier mac;
    private final Duration maxTtl;
    private final Clock clock;
    private final DefaultJWTClaimsVerifier<SecurityContext> times;

    /** @throws IllegalArgumentException for a secret shorter than 256 bits (the config requires 32 characters) */
    public TokenVerifier(Secret secret, Duration maxTtl, Clock clock) {
        try {
            this.mac = new MACVerifier(secret.reveal().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("identity.secret is too short for HS256: " + e.getMessage(), e);
        }
        this.maxTtl = maxTtl;
        this.clock = clock;
        this.times = new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp")) {
            /**
             * Nimbus accepts a token only strictly after its {@code nbf}; RFC 7519 §4.1.5 says at or after. Its "now"
             * is therefore 1 ms ahead of the bridge's clock (NumericDates are whole seconds).
             */
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant().plusMillis(1));
            }
        };
        this.times.setMaxClockSkew(0);
    }

    public TokenVerdict verify(String token) {
        if (token == null || token.isEmpty()) {
            return refused("no token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return refused("token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        if (token.split("\\.", -1).length != 3) {
            return refused("malformed token: expected header.payload.signature");
        }
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused("malformed token: not base64url JSON");
        }
        if (!(jwt instanceof SignedJWT signed) || !JWSAlgorithm.HS256.equals(signed.getHeader().getAlgorithm())) {
            return refused("token algorithm must be HS256");
        }
        JWSHeader header = signed.getHeader();
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return refused("token header names critical parameters " + header.getCriticalParams()
                    + " that the bridge does not understand (RFC 7515 §4.1.11)");
        }
        try {
            if (!signed.verify(mac)) {
                return refused("token signature does not verify (forged, altered, or signed with another secret)");
            }
        } catch (JOSEException e) {
            return refused("token signature does not verify (forged, altered, or signed with another secret)");
        }
        return checkClaims(claims);
    }

    private TokenVerdict checkClaims(JWTClaimsSet claims) {
        if (claims.getClaim("aud") != null) {
            return refused("token names an audience (claim 'aud') " + claims.getClaim("aud")
                    + "; the bridge identifies with none, so it was minted for another service (RFC 7519 §4.1.3)");
        }
        Object sub = claims.getClaim("sub");
        if (!(sub instanceof String sender) || sender.isEmpty()) {
            return refused("token has no sender (claim 'sub')");
        }
        Optional<Instant> exp = instant(claims, "exp");
        if (exp.isEmpty()) {
            return refused("token has no expiry (claim 'exp', seconds since 1970)");
        }
        Instant now = clock.instant();
        if (!now.isBefore(exp.get())) {
            return refused("token expired at " + exp.get());
        }
        Optional<Instant> nbf = instant(claims, "nbf");
        if (claims.getClaim("nbf") != null && nbf.isEmpty()) {
            return refused("token claim 'nbf' must be seconds since 1970");
        }
        try {
            times.verify(claims, null);
        } catch (BadJWTException e) {
            if (nbf.filter(now::isBefore).isPresent()) {
                return refused("token not valid before " + nbf.get() + " (claim 'nbf')");
            }
            return refused(now.plusMillis(1).isBefore(exp.get()) ? "token refused: " + e.getMessage() : "token expired at " + exp.get());
        }
        Optional<Instant> iat = instant(claims, "iat");
        Instant from = iat.filter(i -> i.isBefore(now)).orElse(now);
        if (Duration.between(from, exp.get()).compareTo(maxTtl) > 0) {
            return refused("token lives longer than identity.max-ttl (" + maxTtl + "); mint a shorter one");
        }
        Object channels = claims.getClaim("channels");
        Optional<String> glob = Optional.empty();
        if (channels != null) {
            if (!(channels instanceof String text) || text.isEmpty()) {
                return refused("token claim 'channels' must be a non-empty glob such as room-*");
            }
            RoutePattern.glob(text); // a non-empty glob always compiles
            glob = Optional.of(text);
        }
        return new TokenVerdict.Accepted(new Identity(sender, glob, exp.get()));
    }

    /** A NumericDate claim (RFC 7519 §2) in whole seconds; empty when absent or not a number. */
    private static Optional<Instant> instant(JWTClaimsSet claims, String name) {
        try {
            Date date = claims.getDateClaim(name);
            return Optional.ofNullable(date).map(Date::toInstant);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static TokenVerdict refused(String detail) {
        return new TokenVerdict.Refused(detail);
    }
}
