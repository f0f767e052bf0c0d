package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.hub.HubStats;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;

/**
 * Slow consumers at every fan-out size (docs/reliability.md, fault table): one receiver of a channel stops reading (a
 * raw WebSocket whose socket has a 4 KB receive buffer) among {@code size - 1} fast receivers ({@link FastReceivers},
 * reading everything on one selector thread), while two publishers send to the channel as fast as the fast receivers
 * take them (at most {@value #WINDOW} envelopes ahead of the slowest, so that only the stalled one's queue fills).
 * For each size: every fast receiver gets every envelope published; the stalled one is closed with 1013 (slow
 * consumer) and every envelope it was owed but did not get is reported to its sender by envelope id; a ledger of ids
 * for the stalled receiver shows lost = 0 and nothing duplicated (docs/design.md §2.4). Envelopes the hub published
 * after the stalled receiver had left the channel were owed to it no more: the hub's counters say how many (as in
 * {@code BrowserStallTest}).
 *
 * <p>Sizes 1, 10 and 100 run in the suite; {@code -Dsigbridge.fanout.sizes=1,10,100,1000} runs others (each fast
 * size's line of the table is printed as it finishes, the whole table after the last). 1,000 took 51 s on the shared
 * machine (docs/reliability.md §3): until the stalled receiver's queue fills, the kernel's buffers on its connection
 * take about 3 MB, and every envelope that fills them is written to the 999 others too (about 5 GB in all).
 */
class SlowConsumerFanOutTest {

    private static final String CHANNEL = "fanout";
    private static final String FILL = "f".repeat(30_000);
    private static final List<String> ROWS = new ArrayList<>();
    /** How far the publishers may run ahead of the slowest fast receiver: well within {@code outbound-queue-frames}. */
    private static final int WINDOW = 16;

    static List<Integer> sizes() {
        String sizes = System.getProperty("sigbridge.fanout.sizes", "1,10,100");
        return java.util.Arrays.stream(sizes.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    @AfterAll
    static void printTable() {
        System.out.println("| fan-out | sent | fast receivers got all | stalled: delivered | reported | lost | duplicated | not owed (after it left) | 1013 | time |");
        System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---|---:|");
        ROWS.forEach(System.out::println);
    }

    @ParameterizedTest(name = "fan-out {0}")
    @MethodSource("sizes")
    void theStalledReceiverIsClosedAndEveryEnvelopeItMissedIsReportedWhileTheFastOnesGetEverything(int size) throws Exception {
        long t0 = System.nanoTime();
        String limits = "    outbound-queue-frames: 64\n    max-frame-bytes: 65536\n    max-connections-per-address: 100000\n"
                + "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n";
        Ledger ledger = new Ledger("web: slow consumer among " + size);
        List<Integer> fastGot;
        List<Integer> fastClosed;
        long notOwed;
        int closeCode;
        long published;
        try (TestBridge bridge = TestBridge.start(limits);
             StalledSocket stalled = StalledSocket.open(bridge.port(), "/?channel=" + CHANNEL);
             WsClient a = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient b = WsClient.connect(bridge.ws("/ws/channels"));
             FastReceivers fast = new FastReceivers(bridge.port(), CHANNEL, size - 1, "fan-")) {
            Poll.until(size + " receivers in the channel", Duration.ofSeconds(30),
                    () -> bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> c.name().equals(CHANNEL))
                            .mapToInt(c -> c.participants().size()).sum() == size);
            List<WsClient> senders = List.of(a, b);
            int afterClose = 0;
            for (int i = 0; i < 20_000 && afterClose < 6; i++) {
                if (bridge.web().stats().slowConsumers() > 0) {
                    afterClose++; // these meet a closing socket, or a channel it has left
                }
                if (size > 1 && i >= WINDOW) {
                    // Fast receivers are the ones that keep up: the publishers stay at most WINDOW envelopes ahead of the
                    // slowest (the test reads all of them on one thread), so only the stalled one's queue can fill.
                    fast.awaitEach(i - WINDOW, Duration.ofSeconds(60));
                }
                String id = "fan-" + i;
                ledger.sent(id);
                senders.get(i % 2).send("{\"id\":\"" + id + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"" + id + " " + FILL + "\"}");
            }
            assertTrue(bridge.web().stats().slowConsumers() >= 1, "the stalled receiver was never closed as a slow consumer");
            long tSent = System.nanoTime();
            closeCode = stalled.readAll(ledger);
            long tRead = System.nanoTime();
            // Settled: each fast receiver has every publication, and for the stalled one every id is delivered,
            // reported, or one of the publications made after it had left.
            Poll.until("every envelope delivered or reported", Duration.ofSeconds(60), () -> {
                collect(a, b, ledger);
                long pub = bridge.bridge().hub().ops().stats().published();
                return fast.counts().stream().allMatch(n -> n >= pub)
                        && ledger.settled() + notOwed(bridge, size) >= ledger.sentCount();
            });
            notOwed = notOwed(bridge, size);
            published = bridge.bridge().hub().ops().stats().published();
            fastGot = fast.counts();
            fastClosed = fast.closeCodes();
            System.out.printf("fan-out %d: start+send %.1f s, stalled read %.1f s, settle %.1f s%n", size, (tSent - t0) / 1e9,
                    (tRead - tSent) / 1e9, (System.nanoTime() - tRead) / 1e9);
        }
        List<String> lost = ledger.lost();
        String row = String.format("| %,d | %,d | %s | %,d | %,d | %,d | %,d | %,d | %s | %.1f s |", size, ledger.sentCount(),
                size == 1 ? "(none)" : "yes (" + (size - 1) + ")", ledger.sentCount() - lost.size() - ledger.reasons().values().stream().mapToInt(Integer::intValue).sum(),
                ledger.reasons().values().stream().mapToInt(Integer::intValue).sum(), lost.size() - notOwed, ledger.duplicated().size(), notOwed,
                closeCode == 1013 ? "yes" : "no (" + closeCode + ")", (System.nanoTime() - t0) / 1e9);
        ROWS.add(row);
        System.out.println(row + " " + ledger.row());

        assertEquals(1013, closeCode, "the stalled receiver's close code");
        assertEquals(ledger.sentCount(), published, "every envelope sent was published");
        for (int got : fastGot) {
            assertEquals(published, got, "a fast receiver missed envelopes");
        }
        assertTrue(fastClosed.stream().allMatch(c -> c == 0), "a fast receiver was closed: " + fastClosed);
        assertEquals(notOwed, lost.size(), "neither delivered nor reported must be exactly the publications made after the stalled"
                + " receiver left: " + lost + "; " + ledger.row());
        assertTrue(lost.stream().allMatch(id -> index(id) > lastSettled(ledger, lost, index(id) % 2)),
                "only each sender's last envelopes, sent after the receiver left, may be missing: " + lost);
        assertEquals(List.of(), ledger.duplicated(), "delivered twice");
        assertEquals(0, ledger.deliveredAndReported(), "reported as failed but delivered");
        assertTrue(ledger.reasons().containsKey("upstream_unavailable"), "nothing was reported: " + ledger.row());
    }

    /**
     * Publications not addressed to the stalled receiver: those made after it left. Every publication is handed to
     * each of the {@code size - 1} fast receivers, and to the stalled one while it was a member; the hub counts each
     * hand-off once (delivered, queued or rejected).
     */
    private static long notOwed(TestBridge bridge, int size) {
        HubStats stats = bridge.bridge().hub().ops().stats();
        long handOffs = stats.delivered() + stats.queued() + stats.rejected();
        return (long) size * stats.published() - handOffs;
    }

    private static int index(String id) {
        return Integer.parseInt(id.substring("fan-".length()));
    }

    private static int lastSettled(Ledger ledger, List<String> lost, int sender) {
        int last = -1;
        for (int i = 0; i < ledger.sentCount(); i++) {
            if (i % 2 == sender && !lost.contains("fan-" + i)) {
                last = i;
            }
        }
        return last;
    }

    private static void collect(WsClient a, WsClient b, Ledger ledger) {
        for (WsClient sender : List.of(a, b)) {
            for (Map<String, JsonValue> f : sender.drain()) {
                if (f.containsKey("error")) {
                    Map<String, JsonValue> error = Frames.parse(f.get("error").json());
                    JsonValue id = error.get("id");
                    if (id != null) {
                        ledger.reported(id.asText(), error.get("code").asText());
                    }
                }
            }
        }
    }

    /**
     * A WebSocket receiver that stops reading right after the handshake, with a 4 KB socket receive buffer (set
     * before connecting, so the TCP window it offers stays small). {@link #readAll} then reads every frame the bridge
     * wrote until its close frame. Minimal RFC 6455 framing (unmasked server frames).
     */
    private static final class StalledSocket implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        private StalledSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        static StalledSocket open(int port, String path) throws IOException {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StalledSocket stalled = new StalledSocket(s);
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) stalled.in.readUnsignedByte());
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head);
            }
            return stalled;
        }

        /** Reads until the close frame; records each envelope delivered; returns the close code. */
        int readAll(Ledger ledger) throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int first;
                try {
                    first = in.readUnsignedByte();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no close frame within 30 s", e);
                }
                int opcode = first & 0x0F;
                int length = in.readUnsignedByte() & 0x7F;
                long len = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                byte[] payload = in.readNBytes((int) len);
                if (opcode == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
                if (opcode == 0x1 || opcode == 0x0) {
                    message.writeBytes(payload);
                    if ((first & 0x80) != 0) {
                        Map<String, JsonValue> f = Frames.parse(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                        if (f.containsKey("message")) {
                            ledger.delivered(f.get("id").asText());
                        }
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
