package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Redis stopped and started again under two instances (docs/cluster.md §6): local delivery goes on, what
 * cannot cross instances in time is reported to its sender by envelope id, what waited less is delivered once after
 * Redis returns, and traffic resumes across instances with Redis empty (no persistence: new logs, participants
 * announced again).
 */
class RedisOutageTest {

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void sendersAreToldByIdWhileRedisStaysDownAndTrafficResumesWhenItReturns() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient ca2 = WsClient.connect(a.ws("/"));
                 WsClient cb = WsClient.connect(b.ws("/"))) {
                for (WsClient c : new WsClient[] {ca, ca2, cb}) {
                    c.send("{\"open\":true,\"channel\":\"room\"}");
                }
                Instances.awaitRoster("room", 3, a, b);
                ca.send("{\"channel\":\"room\",\"data\":\"before\"}");
                ca2.expect("\"before\"");
                cb.expect("\"before\"");

                redis.server().stop();
                Instances.awaitLeg(a, LegState.Status.DOWN, Duration.ofSeconds(10));
                ca.send("{\"id\":\"e-during\",\"channel\":\"room\",\"data\":\"during\"}");
                ca2.expect("\"during\""); // local delivery goes on
                Map<String, JsonValue> error = ca.nextError(Duration.ofSeconds(10)); // outbound-max-age 1s
                assertEquals("\"upstream_unavailable\"", error.get("code").json());
                assertEquals("\"e-during\"", error.get("id").json());

                redis.server().startAgain();
                Instances.awaitLeg(a, LegState.Status.READY, Duration.ofSeconds(10));
                Instances.awaitLeg(b, LegState.Status.READY, Duration.ofSeconds(10));
                Instances.awaitRoster("room", 3, a, b); // Redis came back empty: participants were announced again
                ca.send("{\"channel\":\"room\",\"data\":\"after\"}");
                cb.expect("\"after\""); // and not "during", which its sender was told about
                ca2.expect("\"after\"");
                cb.expectNothing(Duration.ofMillis(300));
            }
        }
    }

    @Test
    void whatWaitedLessThanTheLimitIsDeliveredOnceInOrderAfterRedisReturns() throws Exception {
        String patient = Instances.FAST.replace("outbound-max-age: 1s", "outbound-max-age: 10s");
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server(), patient);
            TestBridge b = cluster.start("b", redis.server(), patient);
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"room\"}");
                cb.send("{\"open\":true,\"channel\":\"room\"}");
                Instances.awaitRoster("room", 2, a, b);
                ca.send("{\"channel\":\"room\",\"data\":\"d-0\"}");
                cb.expect("\"d-0\"");

                redis.server().stop();
                Instances.awaitLeg(a, LegState.Status.DOWN, Duration.ofSeconds(10));
                for (int i = 1; i <= 20; i++) {
                    ca.send("{\"channel\":\"room\",\"data\":\"d-" + i + "\"}");
                }
                ca.present("room", WsClient.WAIT); // every frame above was handled by a
                redis.server().startAgain();
                for (int i = 1; i <= 20; i++) {
                    cb.expect("\"d-" + i + "\"");
                }
                cb.expectNothing(Duration.ofMillis(500));
                ca.expectNothing(Duration.ofMillis(1)); // no error: nothing was given up
            }
        }
    }
}
