package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.Sipp;
import org.sigbridge.testkit.peers.SippResult;
import org.sigbridge.testkit.peers.SippRun;
import org.sigbridge.testing.RecordingEndpoint;

/** A text/plain route interoperating with sipp (a plain, non-JAIN-SIP user agent) through Kamailio. */
class SippInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private BridgeUnderTest bridge;

    @BeforeEach
    void start() throws Exception {
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                routes:
                  - match: "*"
                    to: sip
                    target: sip:phone@localhost
                    options: {content: text}
                """;
        bridge = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(kamailio.server().port())));
        bridge.awaitLeg(LegState.Status.READY, WAIT);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void publishesSippTextMessagesOverUdpAndTcpToTheChannel() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        for (Sipp.Transport transport : Sipp.Transport.values()) {
            String body = "hello over " + transport + " " + "x".repeat(transport == Sipp.Transport.TCP ? 6000 : 10);
            SippResult result = Sipp.scenario("send-message.xml").service("room1").transport(transport)
                    .proxyPort(kamailio.server().port()).key("body", body).run();
            assertTrue(result.succeeded(), result.describe());
            assertEquals(body, browser.envelopes().next(WAIT).message().asText());
        }
    }

    @Test
    void deliversTheMessageAsTextToARegisteredSippPhone() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        try (SippRun phone = Sipp.scenario("register-and-wait.xml").outOfCallScenario("ooc-answer-message.xml").service("phone")
                .proxyPort(kamailio.server().port()).pauseMillis(8000).start()) {
            phone.awaitLog("registered", WAIT);
            bridge.publish(browser, "room1", "\"ring ring\"");
            phone.awaitLog("A got MESSAGE, Content-Length: 9", WAIT);
            browser.failures().expectNothing(Duration.ofMillis(500));
        }
    }
}
