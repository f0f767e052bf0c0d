package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * Requests too big for JAIN-SIP's stream reader (body near or above {@code max-body-bytes} + 64 KiB) are answered
 * 513 Message Too Large (RFC 3261 §21.5.14) before their connection is closed, never only closed; smaller ones above
 * {@code max-body-bytes} get 413 on a connection that stays open. The bridge keeps answering afterwards. Sent by a second JAIN-SIP stack and by a raw TCP socket (a declared length with no
 * body behind it, which no SIP stack would send).
 */
class SipOversizeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int LIMIT = 2000;

    private int port;
    private BridgeUnderTest bridge;
    private RawSipClient client;

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.tcpAndUdp();
        bridge = BridgeUnderTest.start(SipInboundResponsesTest.config(1000).replace("max-body-bytes: 2000",
                "max-body-bytes: " + LIMIT), Map.of("PORT", Integer.toString(port)));
        client = new RawSipClient();
    }

    @AfterEach
    void stop() {
        client.close();
        bridge.close();
    }

    private String uri(String channelUser) {
        return "sip:" + channelUser + "@127.0.0.1:" + port;
    }

    @Test
    void aBodyAboveTheReadersLimitIsAnswered513NotJustCut() throws Exception {
        bridge.browser("b1", "room1");
        long refusedBefore = bridge.sip().stats().refused().sum();
        int body = LIMIT + 65_536 + 1;
        assertEquals(513, client.send(client.message(uri("room1"), "text/plain", "x".repeat(body), "tcp"), WAIT).getStatusCode());
        assertEquals(refusedBefore + 1, bridge.sip().stats().refused().sum());
        assertEquals(200, statusOverANewConnection("after"), "the bridge still reads requests, over a new connection");
    }

    @Test
    void aBodyJustBelowTheReadersLimitIsAnswered513Too() throws Exception {
        bridge.browser("b1", "room1");
        assertEquals(513, client.send(client.message(uri("room1"), "text/plain", "x".repeat(LIMIT + 65_000), "tcp"), WAIT)
                .getStatusCode());
        assertEquals(200, statusOverANewConnection("after"), "the bridge still reads requests, over a new connection");
    }

    /**
     * The status of a MESSAGE sent from a second client stack, so over a connection of its own: after a 513 the bridge
     * closes the first client's connection, and that client could still pick the closing connection for its next
     * request (over TCP nothing retransmits it, so it would wait for Timer F).
     */
    private int statusOverANewConnection(String body) throws Exception {
        try (RawSipClient fresh = new RawSipClient()) {
            return fresh.send(fresh.message(uri("room1"), "text/plain", body, "tcp"), WAIT).getStatusCode();
        }
    }

    @Test
    void aBodyAboveTheLimitThatTheReaderHoldsIsAnswered413OnTheSameConnection() throws Exception {
        bridge.browser("b1", "room1");
        assertEquals(413, client.send(client.message(uri("room1"), "text/plain", "x".repeat(LIMIT + 30_000), "tcp"), WAIT)
                .getStatusCode());
        assertEquals(200, client.send(client.message(uri("room1"), "text/plain", "after", "tcp"), WAIT).getStatusCode());
    }

    @Test
    void aHugeDeclaredLengthGets513OnTheRawConnectionThenEndOfStream() throws Exception {
        String reply = exchange(request("Content-Length: 2000000000"));
        assertTrue(reply.startsWith("SIP/2.0 513 "), reply);
    }

    private String request(String contentLength) {
        return "MESSAGE " + uri("room1") + ";transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-raw-" + System.nanoTime() + "\r\n"
                + "From: <sip:raw@127.0.0.1>;tag=raw1\r\n"
                + "To: <" + uri("room1") + ">\r\n"
                + "Call-ID: raw-" + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: text/plain\r\n"
                + contentLength + "\r\n\r\n";
    }

    /** Writes {@code request}, then reads until the bridge closes the connection (fails after {@link #WAIT}). */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) { // ends at the bridge's close; a read timeout fails the test
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.US_ASCII);
        }
    }
}
