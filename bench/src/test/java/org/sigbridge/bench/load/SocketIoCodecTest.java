package org.sigbridge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sigbridge.bench.scenario.ServerProcess;

/**
 * The generator's socket.io 4 client against the real npm socket.io 4.8.4 server the benchmark compares sigbridge with
 * ({@code bench/socketio-server}, installed by {@code npm ci}; scripts/test and scripts/bench run it), over WebSocket and
 * over polling: the handshake, the namespace CONNECT, {@code message} events relayed to the other member of the channel
 * and to nobody else, each probe booked once. Event-driven: it waits for the deliveries it expects.
 */
class SocketIoCodecTest {
    private static final Path SERVER_DIR = Path.of("socketio-server").toAbsolutePath();
    @TempDir
    static Path logs;
    private static ServerProcess node;
    private static int port;

    /** One Node server for both transports: each test uses channels of its own. */
    @BeforeAll
    static void startNode() {
        assertTrue(Files.isDirectory(SERVER_DIR.resolve("node_modules/socket.io")),
                "the npm socket.io server is not installed: run `npm ci` in bench/socketio-server (scripts/test and scripts/bench do)");
        port = ServerProcess.freePort();
        node = ServerProcess.start(List.of("node", SERVER_DIR.resolve("server.js").toString(), "--port", Integer.toString(port)),
                "", Map.of(), logs, logs.resolve("node.log"));
        node.awaitAccept(port, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void readsWhatAServerWrites() {
        assertEquals(SocketIoCodec.Kind.OPEN, SocketIoCodec.read("0{\"sid\":\"a-b_c\",\"upgrades\":[],\"pingInterval\":25000}").kind());
        assertEquals("a-b_c", SocketIoCodec.sid("0{\"sid\":\"a-b_c\",\"upgrades\":[],\"pingInterval\":25000}"));
        assertThrows(IllegalArgumentException.class, () -> SocketIoCodec.sid("40{\"sid\":\"x\"}"));
        assertEquals(SocketIoCodec.Kind.CONNECTED, SocketIoCodec.read("40{\"sid\":\"x\"}").kind());
        assertEquals(SocketIoCodec.Kind.CONNECT_ERROR, SocketIoCodec.read("44{\"message\":\"nope\"}").kind());
        assertEquals(SocketIoCodec.Kind.PING, SocketIoCodec.read("2").kind());
        assertEquals(SocketIoCodec.Kind.CLOSED, SocketIoCodec.read("1").kind());
        assertEquals(SocketIoCodec.Kind.OTHER, SocketIoCodec.read("42[\"presence\",true]").kind());
        Probe probe = new Probe(3, 8, 77L, true);
        String emitted = WireDialect.SOCKETIO.publishFrame("bench-a-1", 3, probe.body("xx"));
        SocketIoCodec.Packet relayed = SocketIoCodec.read(emitted);
        assertEquals(SocketIoCodec.Kind.MESSAGE, relayed.kind());
        assertEquals("{\"sender\":\"3\",\"channel\":\"bench-a-1\",\"message\":" + probe.body("xx") + "}", relayed.text());
        assertEquals(probe, Probe.parse(relayed.text()));
        String payload = SocketIoCodec.payload(List.of("2", emitted, "40{\"sid\":\"x\"}"));
        assertEquals(List.of("2", emitted, "40{\"sid\":\"x\"}"), SocketIoCodec.packets(payload));
        assertEquals(List.of(), SocketIoCodec.packets(""));
        URI base = URI.create("ws://127.0.0.1:8888/socket.io/");
        assertEquals(URI.create("ws://127.0.0.1:8888/socket.io/?EIO=4&transport=websocket&channel=bench-a-1"),
                WireDialect.SOCKETIO.connectUri(base, "bench-a-1", 0));
        URI polling = WireDialect.SOCKETIO_POLLING.connectUri(base, "bench-a-1", 0);
        assertEquals(URI.create("http://127.0.0.1:8888/socket.io/?EIO=4&transport=polling&channel=bench-a-1"), polling);
        assertEquals(URI.create(polling + "&sid=abc"), SocketIoCodec.sessionUri(polling, "abc"));
    }

    @ParameterizedTest
    @EnumSource(value = WireDialect.class, names = {"SOCKETIO", "SOCKETIO_POLLING"})
    void relaysThroughTheNodeSocketIoServerToTheOtherMemberOnly(WireDialect dialect) throws Exception {
        HttpClient http = new HttpClient();
        http.setMaxRequestsQueuedPerDestination(1000);
        WebSocketClient ws = new WebSocketClient(http);
        try {
            http.start();
            ws.start();
            URI base = URI.create("ws://127.0.0.1:" + port + "/socket.io/");
            DeliveryLedger ledger = new DeliveryLedger();
            RunCounters counters = new RunCounters();
            int perSender = 5;
            // Clients 0 and 1 share a channel; client 2 is alone on another and must hear nothing.
            CountDownLatch delivered = new CountDownLatch(2 * perSender);
            AtomicIntegerArray heardFrom = new AtomicIntegerArray(9); // [receiver * 3 + sender]
            List<BenchClient> clients = new ArrayList<>();
            String filler = Payloads.filler(dialect, 600);
            for (int i = 0; i < 3; i++) {
                int receiver = i;
                String channel = (i < 2 ? "pair-" : "alone-") + dialect.wire();
                clients.add(new BenchClient(i, channel, 1, dialect, filler, ledger, sender -> {
                    heardFrom.incrementAndGet(receiver * 3 + sender);
                    delivered.countDown();
                }, counters));
            }
            for (BenchClient c : clients) {
                URI target = dialect.connectUri(base, c.channel(), c.index());
                if (dialect.polling()) {
                    new SocketIoPolling(http, c, target).start();
                } else {
                    ws.connect(c, target);
                }
            }
            for (BenchClient c : clients) {
                c.opened().get(60, TimeUnit.SECONDS); // the namespace answered the CONNECT
            }
            ledger.openWindow(System.nanoTime());
            for (int n = 0; n < perSender; n++) {
                clients.get(0).sendNext();
                clients.get(1).sendNext();
                clients.get(2).sendNext();
            }
            assertTrue(delivered.await(60, TimeUnit.SECONDS), "deliveries missing: " + ledger.totals() + " " + counters.otherFrames());
            ledger.closeWindow(System.nanoTime());
            clients.forEach(BenchClient::close);
            assertEquals(perSender, heardFrom.get(0 * 3 + 1), "client 0 hears client 1");
            assertEquals(perSender, heardFrom.get(1 * 3 + 0), "client 1 hears client 0");
            for (int s = 0; s < 3; s++) {
                assertEquals(0, heardFrom.get(s * 3 + s), "nobody hears itself");
                assertEquals(0, heardFrom.get(2 * 3 + s), "the other channel hears nothing");
            }
            DeliveryLedger.Totals totals = ledger.totals();
            assertEquals(0, totals.duplicates());
            assertEquals(0, totals.other(), "frames without a probe: " + counters.otherFrames());
            assertEquals(0, counters.sendFailures());
            assertEquals(0, counters.closedEarly(), "closed by the server: " + counters.closeReasons());
        } finally {
            ws.stop();
            http.stop();
        }
    }
}
