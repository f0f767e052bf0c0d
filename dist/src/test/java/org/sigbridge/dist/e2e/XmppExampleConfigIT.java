package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.dist.SigbridgeProcess;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * The operator's way in: the packaged jar with {@code --config conf/examples/xmpp.yml} and only the documented
 * environment variables bridges a browser WebSocket and a person with a plain XMPP client, both ways, and
 * leaves the room on SIGTERM.
 */
@Timeout(60)
class XmppExampleConfigIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @TempDir
    Path dir;

    private static Map<String, String> env(int webPort, String tls) {
        ProsodyServer server = PROSODY.server();
        Map<String, String> env = new HashMap<>();
        env.put("SIGBRIDGE_WEB_PORT", Integer.toString(webPort));
        env.put("XMPP_HOST", "127.0.0.1");
        env.put("XMPP_PORT", Integer.toString(server.port()));
        env.put("XMPP_DOMAIN", server.domain());
        env.put("XMPP_USERNAME", "alice");
        env.put("XMPP_PASSWORD", ProsodyServer.PASSWORD);
        env.put("XMPP_MUC_SERVICE", server.mucService());
        env.put("XMPP_TLS", tls);
        return env;
    }

    @Test
    void bridgesABrowserAndANativeXmppUserWithPlainTextXmpp() throws Exception {
        int web = SigbridgeProcess.freeTcpPort();
        try (SigbridgeProcess jar = SigbridgeProcess.start(env(web, "disabled"), List.of(), "--config", "conf/examples/xmpp.yml")) {
            jar.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            exchange(jar, web, "Jar-Plain");
        }
    }

    @Test
    void bridgesABrowserAndANativeXmppUserOverRequiredStartTls() throws Exception {
        // The example names no trust file: the JVM's default trust store is used, pointed at Prosody's certificate.
        Path trust = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trust)) {
            PROSODY.server().trustStore().store(out, "changeit".toCharArray());
        }
        int web = SigbridgeProcess.freeTcpPort();
        try (SigbridgeProcess jar = SigbridgeProcess.start(env(web, "required"),
                List.of("-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=changeit",
                        "-Djavax.net.ssl.trustStoreType=PKCS12"),
                "--config", "conf/examples/xmpp.yml")) {
            jar.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            assertTrue(jar.output().stream().anyMatch(l -> l.contains("starttls required")), "says it requires STARTTLS: " + jar.output());
            exchange(jar, web, "Jar-Tls");
        }
    }

    @Test
    void showsEachBrowserUserAsAnOccupantWithXmppOccupantsPerUser() throws Exception {
        int web = SigbridgeProcess.freeTcpPort();
        Map<String, String> env = env(web, "disabled");
        env.put("XMPP_OCCUPANTS", "per-user");
        try (SigbridgeProcess jar = SigbridgeProcess.start(env, List.of(), "--config", "conf/examples/xmpp.yml");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "jar-per-user", "bob")) {
            jar.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            try (WsClient browser = WsClient.envelopeOn(web, "jar-per-user")) {
                browser.sendEnvelope("pu-1", "Zoe", "jar-per-user", "{\"hi\":\"bob\"}");
                Message m = bob.next(WAIT);
                assertEquals("Zoe", m.getFrom().getResourceOrThrow().toString());
                assertEquals("{\"hi\":\"bob\"}", m.getBody());
                String nick = bridgeNick(jar);
                assertTrue(bob.occupantNicks().containsAll(List.of("Zoe", nick)), bob.occupantNicks().toString());

                assertEquals(0, jar.terminate(Duration.ofSeconds(20)), String.join("\n", jar.output()));
                bob.awaitGone("Zoe", WAIT); // SIGTERM closes every per-user session too
                bob.awaitGone(nick, WAIT);
            }
        }
    }

    /** Browser -> room and room -> browser on {@code channel}, then SIGTERM: exit 0 and the bridge leaves the room. */
    private static void exchange(SigbridgeProcess jar, int web, String channel) throws Exception {
        String room = channel.toLowerCase(java.util.Locale.ROOT);
        try (WsClient browser = WsClient.envelopeOn(web, channel);
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", room, "bob")) {
            String nick = bridgeNick(jar);
            assertTrue(nick.matches("sigbridge-[a-z0-9]{4}"), "the example names no nick: the built-in name and a suffix: " + nick);
            bob.awaitOccupant(nick, WAIT);
            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"n\":1.50}";
            browser.sendEnvelope("jar-1", "browser-user", channel, offer);
            Message m = bob.next(WAIT);
            assertEquals(offer, m.getBody());
            assertEquals("jar-1", XmppBridges.envelopeId(m));

            bob.say("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
            assertEnvelope("bob", channel, "{\"type\":\"answer\",\"sdp\":\"v=0\"}", browser.nextEnvelope(WAIT));

            assertEquals(0, jar.terminate(Duration.ofSeconds(20)), String.join("\n", jar.output()));
            bob.awaitGone(nick, WAIT);
        }
    }

    /** The bridge occupant's nick, as the xmpp leg's state line names it ({@code xmpp: ready (…; nick N; rooms: …)}). */
    private static String bridgeNick(SigbridgeProcess jar) throws InterruptedException {
        java.util.function.Predicate<String> named = l -> l.contains("xmpp: ready") && l.contains("; nick ");
        String line = jar.output().stream().filter(named).findFirst().orElse(null);
        if (line == null) {
            line = jar.awaitLine(named, WAIT);
        }
        int at = line.indexOf("; nick ") + "; nick ".length();
        return line.substring(at, line.indexOf(';', at));
    }
}
