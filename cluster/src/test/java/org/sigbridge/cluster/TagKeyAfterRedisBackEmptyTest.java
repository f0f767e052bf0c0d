package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.web.TestBridge;

/**
 * The key of the tags that prove a {@code sigbridge.js} session's participant on any instance ({@code <prefix>:tagkey},
 * docs/cluster.md §4, the presence grace) survives a Redis that came back empty: the older instance writes its key back
 * when it reconnects, so an instance started after that reads the same key and a session made before the loss resumes
 * there as the same participant. And when Redis holds another key (another instance wrote its own first), every
 * instance adopts it, while a session tagged under the key held before still resumes as the same participant where it
 * was made.
 */
class TagKeyAfterRedisBackEmptyTest {

    private static final String CHANNEL = "tagkey-room";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aSessionMadeBeforeRedisCameBackEmptyResumesAsTheSameParticipantOnAnInstanceStartedAfter() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            try (ResumingClient page = ResumingClient.open("page", a.ws("/ws/channels"), CHANNEL)) {
                String p = participantOf(page);

                redis.server().stop();
                Instances.awaitLeg(a, LegState.Status.DOWN, WAIT);
                redis.server().startAgain(); // no persistence: empty
                Instances.awaitLeg(a, LegState.Status.READY, WAIT);
                Poll.until("a wrote its tag key back into the empty Redis", WAIT, Duration.ofMillis(20),
                        () -> redis.server().cli("GET", "sb:tagkey").strip(), v -> !v.isEmpty());

                TestBridge b = cluster.start("b", redis.server());
                assertEquals(tag(a, "probe"), tag(b, "probe"), "a and b share one key");
                page.resume(b.ws("/ws/channels"));
                assertEquals(p, participantOf(page), "the page is the same participant on b: " + page.sessions());
                Instances.awaitRoster(CHANNEL, 1, b);
            }
        }
    }

    @Test
    void anotherKeyInRedisIsAdoptedAndTheKeyHeldBeforeStillVerifiesWhereItWasMade() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            try (ResumingClient page = ResumingClient.open("page", a.ws("/ws/channels"), CHANNEL)) {
                String p = participantOf(page);
                // What Redis holds after another instance, started before a reconnected to an empty Redis, wrote its own.
                byte[] other = new byte[32];
                new java.security.SecureRandom().nextBytes(other);
                redis.server().cli("SET", "sb:tagkey", java.util.Base64.getEncoder().encodeToString(other));
                TestBridge c = cluster.start("c", redis.server());
                // a checks the key at most every lease-renew (1 s here) while it makes or checks tags
                Poll.until("a adopted the key Redis holds", WAIT,
                        () -> tag(a, "probe").equals(tag(c, "probe")));

                page.resume(a.ws("/ws/channels")); // tagged under a's key before: still verifies on a
                assertEquals(p, participantOf(page), "the page is the same participant on a again: " + page.sessions());
                page.resume(c.ws("/ws/channels")); // its new session is tagged under the key Redis holds
                assertEquals(p, participantOf(page), "the page is the same participant on c: " + page.sessions());
                Instances.awaitRoster(CHANNEL, 1, c);
            }
        }
    }

    private static String tag(TestBridge b, String value) {
        return b.bridge().hub().sharedSessions().orElseThrow().tag(value);
    }

    /** The participant id the page's newest session names ({@code <endpoint>~<participant>~<tag>}). */
    private static String participantOf(ResumingClient c) {
        List<String> s = c.sessions();
        String[] parts = s.get(s.size() - 1).split("~");
        assertEquals(3, parts.length, "a cluster session: " + s);
        return parts[1];
    }
}
