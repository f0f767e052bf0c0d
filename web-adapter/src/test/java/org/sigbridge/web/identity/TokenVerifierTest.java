package org.sigbridge.web.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;

class TokenVerifierTest {

    private static final Secret SECRET = Secret.of("0123456789abcdef0123456789abcdef");
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final TokenVerifier verifier = new TokenVerifier(SECRET, Duration.ofHours(24), Clock.fixed(NOW, ZoneOffset.UTC));
    private final TokenMinter minter = new TokenMinter(SECRET);

    private String refusal(String token) {
        return ((TokenVerdict.Refused) verifier.verify(token)).detail();
    }

    @Test
    void acceptsAGenuineTokenWithItsSenderScopeAndExpiry() {
        Identity id = ((TokenVerdict.Accepted) verifier.verify(minter.mint("alice", Optional.of("room-*"), NOW, Duration.ofHours(1)))).identity();
        assertEquals("alice", id.sender());
        assertEquals(NOW.plusSeconds(3600), id.expiresAt());
        assertTrue(id.allows("room-1"));
        assertFalse(id.allows("roomx"));
    }

    @Test
    void refusesTheNoneAlgorithm() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String body = minter.mint("alice", Optional.empty(), NOW, Duration.ofHours(1)).split("\\.")[1];
        assertEquals("token algorithm must be HS256", refusal(header + "." + body + "."));
    }

    @Test
    void namesEachFailure() {
        assertEquals("no token", refusal(""));
        assertEquals("malformed token: expected header.payload.signature", refusal("a.b"));
        assertTrue(refusal(minter.mint("a", Optional.empty(), NOW.minusSeconds(7200), Duration.ofHours(1))).startsWith("token expired at 2029-12-31T23:00:00Z"));
        assertTrue(refusal(minter.mint("a", Optional.empty(), NOW, Duration.ofHours(25))).startsWith("token lives longer than identity.max-ttl"));
        assertTrue(refusal(new TokenMinter(Secret.of("x".repeat(32))).mint("a", Optional.empty(), NOW, Duration.ofHours(1)))
                .startsWith("token signature does not verify"));
    }

    @Test
    void refusesATokenBeforeItsNotBeforeTimeAndAcceptsItFromThen() throws Exception {
        JWTClaimsSet early = claims(NOW.plusSeconds(60));
        assertEquals("token not valid before 2030-01-01T00:01:00Z (claim 'nbf')", refusal(signed(new JWSHeader(JWSAlgorithm.HS256), early)));
        TokenVerifier later = new TokenVerifier(SECRET, Duration.ofHours(24), Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        assertEquals("alice", ((TokenVerdict.Accepted) later.verify(signed(new JWSHeader(JWSAlgorithm.HS256), early))).identity().sender());
    }

    @Test
    void refusesAGenuineTokenWhoseHeaderNamesACriticalParameterWeDoNotUnderstand() throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).criticalParams(Set.of("x-policy")).customParam("x-policy", "strict").build();
        String detail = refusal(signed(header, claims(NOW)));
        assertTrue(detail.startsWith("token header names critical parameters [x-policy]"), detail);
        assertTrue(verifier.verify(signed(new JWSHeader(JWSAlgorithm.HS256), claims(NOW))) instanceof TokenVerdict.Accepted,
                "the same claims without crit are accepted");
    }

    private static JWTClaimsSet claims(Instant notBefore) {
        return new JWTClaimsSet.Builder().subject("alice").issueTime(Date.from(NOW)).notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(NOW.plusSeconds(3600))).build();
    }

    private static String signed(JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new MACSigner(SECRET.reveal().getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
