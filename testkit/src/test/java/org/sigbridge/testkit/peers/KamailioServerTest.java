package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.KamailioExtension;

@Timeout(30)
class KamailioServerTest {
    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    @Test
    void relaysAMessageOverUdpToARegisteredUaAndReturnsIts200() {
        assertMessageDelivered(Sipp.Transport.UDP, Sipp.Transport.UDP, "hello over udp");
    }

    @Test
    void relaysAMessageOverTcpToARegisteredUaAndReturnsIts200() {
        assertMessageDelivered(Sipp.Transport.TCP, Sipp.Transport.TCP, "x".repeat(20_000));
    }

    @Test
    void acceptsRegistrationsAgainAfterStopAndStartOnTheSamePort() {
        KamailioServer server = kamailio.server();
        int port = server.port();

        server.stop();
        assertFalse(server.isRunning());
        server.start();

        assertEquals(port, server.port());
        assertMessageDelivered(Sipp.Transport.UDP, Sipp.Transport.UDP, "after restart");
    }

    @Test
    void answers404ForAMessageToAnUnregisteredUser() {
        SippResult sender = Sipp.scenario("send-message.xml").service("nobody").key("body", "hi")
                .proxyPort(kamailio.server().port()).timeout(Duration.ofSeconds(5)).run();

        assertFalse(sender.succeeded(), sender.describe());
        assertTrue(sender.errorLog().contains("SIP/2.0 404"), sender.describe());
    }

    private void assertMessageDelivered(Sipp.Transport receiverTransport, Sipp.Transport senderTransport, String body) {
        KamailioServer server = kamailio.server();
        try (SippRun receiver = Sipp.scenario("register-and-wait.xml").outOfCallScenario("ooc-answer-message.xml")
                .service("alice").transport(receiverTransport).pauseMillis(3000).proxyPort(server.port()).start()) {
            // Generous: after a restart on the same port, a loaded machine can take seconds to answer the REGISTER.
            receiver.awaitLog("registered", Duration.ofSeconds(15));

            SippResult sender = Sipp.scenario("send-message.xml").service("alice").key("body", body)
                    .transport(senderTransport).proxyPort(server.port()).timeout(Duration.ofSeconds(10)).run();

            assertTrue(sender.succeeded(), sender.describe() + "\nkamailio:\n" + server.logTail());
            SippResult receiverResult = receiver.await(Duration.ofSeconds(10));
            assertTrue(receiverResult.succeeded(), receiverResult.describe());
            // sipp pads [len] to five digits: "Content-Length:    14"
            assertTrue(receiverResult.actionLog().matches("(?s).*A got MESSAGE, Content-Length: *" + body.length() + "\\b.*"),
                    receiverResult.describe());
        }
    }
}
