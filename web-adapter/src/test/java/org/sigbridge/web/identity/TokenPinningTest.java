package org.sigbridge.web.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;

/**
 * The security review's token checks (docs/reliability.md, "Security checks") not covered by {@code TokenVerifierTest}:
 * the algorithm is pinned to HS256 even for a token genuinely signed under the secret with another HMAC, a token minted
 * for an audience is refused (RFC 7519 §4.1.3), and a channel scope holds for names that only look inside it.
 */
class TokenPinningTest {

    private static final Secret SECRET = Secret.of("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final TokenVerifier verifier = new TokenVerifier(SECRET, Duration.ofHours(24), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenSignedUnderTheSecretWithHs384OrHs512IsRefused() throws Exception {
        for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.HS384, JWSAlgorithm.HS512}) {
            TokenVerdict v = verifier.verify(signed(new JWSHeader(alg), claims().build()));
            assertEquals("token algorithm must be HS256", assertInstanceOf(TokenVerdict.Refused.class, v).detail(), alg.getName());
        }
        assertInstanceOf(TokenVerdict.Accepted.class, verifier.verify(signed(new JWSHeader(JWSAlgorithm.HS256), claims().build())));
    }

    @Test
    void aTokenMintedForAnAudienceIsRefused() throws Exception {
        TokenVerdict v = verifier.verify(signed(new JWSHeader(JWSAlgorithm.HS256), claims().audience("https://other.example").build()));
        String detail = assertInstanceOf(TokenVerdict.Refused.class, v).detail();
        assertTrue(detail.startsWith("token names an audience (claim 'aud')"), detail);
    }

    @Test
    void aChannelScopeDoesNotReachNamesThatOnlyLookInsideIt() {
        Identity id = ((TokenVerdict.Accepted) verifier.verify(new TokenMinter(SECRET).mint("alice", Optional.of("team-a/*"), NOW,
                Duration.ofHours(1)))).identity();
        assertTrue(id.allows("team-a/call"));
        for (String outside : new String[] {"team-b/call", "team-a", "xteam-a/call", "team-a-evil/call"}) {
            assertTrue(!id.allows(outside), outside);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(3600)));
    }

    private static String signed(JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new MACSigner(SECRET.reveal().getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
