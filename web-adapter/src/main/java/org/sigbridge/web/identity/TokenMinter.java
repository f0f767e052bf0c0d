package org.sigbridge.web.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.sigbridge.config.Secret;

/**
 * Makes identity tokens with Nimbus JOSE+JWT: a JWS (HS256, {@code typ: JWT}) with claims {@code sub}, {@code iat},
 * {@code exp} and, when given, {@code channels}. Any JWT library with HS256 makes equivalent tokens. Thread-safe.
 */
public final class TokenMinter {

    private final MACSigner signer;

    /** @throws IllegalArgumentException for a secret shorter than 256 bits */
    public TokenMinter(Secret secret) {
        try {
            this.signer = new MACSigner(secret.reveal().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the secret is too short for HS256: " + e.getMessage(), e);
        }
    }

    /**
     * @param sender   the {@code sub} claim: the sender the bridge will stamp
     * @param channels a glob of channels the token may use, or empty for any
     * @param issuedAt {@code iat}
     * @param ttl      {@code exp} = {@code issuedAt + ttl}
     */
    public String mint(String sender, Optional<String> channels, Instant issuedAt, Duration ttl) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sender)
                .issueTime(Date.from(Instant.ofEpochSecond(issuedAt.getEpochSecond())))
                .expirationTime(Date.from(Instant.ofEpochSecond(issuedAt.plus(ttl).getEpochSecond())));
        channels.ifPresent(c -> claims.claim("channels", c));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
