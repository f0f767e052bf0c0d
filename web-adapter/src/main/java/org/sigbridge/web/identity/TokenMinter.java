package org.sigbridge.web.identity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.sigbridge.config.Secret;
import org.sigbridge.envelope.JsonValue;

/**
 * Makes identity tokens: {@code base64url(header).base64url(claims).base64url(HMAC-SHA256)} with claims
 * {@code sub}, {@code iat}, {@code exp} and, when given, {@code channels}. Any JWT library with HS256 makes the
 * same tokens. Pure and thread-safe.
 */
public final class TokenMinter {

    private final Hs256 mac;

    public TokenMinter(Secret secret) {
        this.mac = new Hs256(secret);
    }

    /**
     * @param sender   the {@code sub} claim: the sender the bridge will stamp
     * @param channels a glob of channels the token may use, or empty for any
     * @param issuedAt {@code iat}
     * @param ttl      {@code exp} = {@code issuedAt + ttl}
     */
    public String mint(String sender, Optional<String> channels, Instant issuedAt, Duration ttl) {
        StringBuilder claims = new StringBuilder("{\"sub\":").append(JsonValue.string(sender).json())
                .append(",\"iat\":").append(issuedAt.getEpochSecond())
                .append(",\"exp\":").append(issuedAt.plus(ttl).getEpochSecond());
        channels.ifPresent(c -> claims.append(",\"channels\":").append(JsonValue.string(c).json()));
        claims.append('}');
        String input = Hs256.HEADER + "." + Hs256.B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return input + "." + Hs256.B64.encodeToString(mac.sign(input));
    }
}
