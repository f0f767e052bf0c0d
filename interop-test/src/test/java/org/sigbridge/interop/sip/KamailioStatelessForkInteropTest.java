package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.Sipsak;

/**
 * Kamailio 5.6 as a <em>stateless</em> proxy forking to two bridges (docs/interop.md §3): every MESSAGE is sent
 * on with one core {@code forward()} per bridge, over the transport it came in on, and no transaction is kept
 * ({@link KamailioServer.Builder#statelessFork}). A MESSAGE that sipsak sends to Kamailio over UDP, then over TCP,
 * reaches the channel's browsers on both bridges, and Kamailio relays both bridges' {@code 200 OK} back to sipsak
 * (RFC 3261 §16.11: a stateless proxy forwards every response by its Via); sipsak's transaction takes the first.
 * One Kamailio and two bridges for the class.
 */
@Timeout(60)
class KamailioStatelessForkInteropTest {

    private static final Pattern CALL_ID = Pattern.compile("(?m)^Call-ID: (\\S+)$");

    private static int eastPort;
    private static int westPort;
    private static KamailioServer kamailio;
    private static SipBridge east;
    private static SipBridge west;
    private static Sipsak sipsak;

    @BeforeAll
    static void start() throws Exception {
        eastPort = FreePorts.tcpAndUdp();
        westPort = FreePorts.tcpAndUdp();
        kamailio = KamailioServer.builder().statelessFork(eastPort, westPort).start();
        east = bridge("east", eastPort);
        west = bridge("west", westPort);
        sipsak = new Sipsak();
    }

    private static SipBridge bridge(String name, int port) throws Exception {
        String yaml = """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                routes:
                  - match: "*"
                    to: sip
                    target: none
                """.formatted(name);
        return SipBridge.start(yaml, Map.of("PORT", Integer.toString(port)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sipsak, east, west, kamailio}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
    }

    @Test
    void aMessageOverUdpReachesBothBridgesAndBothAnswersGoBackToTheSender() throws Exception {
        forksTo("fork-udp", "udp");
    }

    @Test
    void aMessageOverTcpReachesBothBridgesAndBothAnswersGoBackToTheSender() throws Exception {
        forksTo("fork-tcp", "tcp");
    }

    private static void forksTo(String channel, String transport) throws Exception {
        RecordingEndpoint onEast = east.browser("browser-east-" + transport, channel);
        RecordingEndpoint onWest = west.browser("browser-west-" + transport, channel);
        String request = Sipsak.message("sip:" + channel + "@localhost", "sip:sipsak@127.0.0.1", "text/plain",
                "forked over " + transport);

        Sipsak.Reply reply = sipsak.send(request, "sip:" + channel + "@127.0.0.1:" + kamailio.port(), transport);
        assertEquals(200, reply.status(), reply.describe());

        for (RecordingEndpoint browser : new RecordingEndpoint[] {onEast, onWest}) {
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals(channel, got.channel());
            assertEquals("\"forked over " + transport + "\"", got.message().json());
            browser.envelopes().expectNothing(Duration.ZERO);
        }
        Matcher id = CALL_ID.matcher(request);
        id.find();
        String relayed = "SL-REPLY 200 OK for MESSAGE " + id.group(1) + " from 127.0.0.1:";
        // Kamailio logs each response it relays as it relays it; there is no other event for the second 200. Over UDP
        // sipsak may retransmit before the first 200 is back, and each copy is forked again: count bridges, not lines.
        Poll.until("a 200 relayed from each bridge for " + id.group(1), WAIT, Duration.ofMillis(50),
                () -> Files.readString(kamailio.directory().resolve("kamailio.log")).lines().filter(l -> l.contains(relayed))
                        .map(l -> l.substring(l.indexOf(relayed) + relayed.length()).replaceAll("/.*", "")).distinct().sorted().toList(),
                ports -> ports.containsAll(java.util.List.of(String.valueOf(eastPort), String.valueOf(westPort))));
        Files.readString(kamailio.directory().resolve("kamailio.log")).lines().filter(l -> l.contains(id.group(1)))
                .forEach(l -> System.out.println("kamailio: " + l));
    }
}
