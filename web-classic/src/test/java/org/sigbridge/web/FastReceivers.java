package org.sigbridge.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many envelope-dialect WebSocket receivers ({@code /?channel=}) read by one thread with one selector, so that a test
 * can hold a thousand of them (a JDK WebSocket client has a selector thread each): each records the ids of the
 * envelopes it got. Minimal RFC 6455 client: the handshake, then unmasked server frames; an id is found in a text
 * frame by its prefix and digits ({@code "PREFIX<digits>}, the first such string in the frame: the test's messages
 * begin with their envelope's id, so the scan ends early whichever field comes first), so frames are not parsed as
 * JSON. Frames up to 64 KB. {@link #awaitEach} lets a publisher pace itself to the slowest of them. Used by
 * {@link SlowConsumerFanOutTest}. {@link #close()} stops the thread and closes every socket.
 */
final class FastReceivers implements AutoCloseable {

    private final Selector selector;
    private final List<Receiver> receivers = new ArrayList<>();
    private final byte[] prefix;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IOException failure;
    /** {@code reached[n]}: how many receivers have at least {@code n} distinct ids (guarded by this). */
    private final int[] reached = new int[MAX_IDS + 1];
    private static final int MAX_IDS = 100_000;

    private static final class Receiver {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        final Set<String> ids = new HashSet<>();
        int closeCode;

        Receiver(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * Connects {@code count} receivers to {@code channel} on {@code port}, one after another (each handshake
     * blocking, 5 s bound), then reads them all on one thread.
     *
     * @param idPrefix how every envelope id begins, e.g. {@code "fan-"}
     */
    FastReceivers(int port, String channel, int count, String idPrefix) throws IOException {
        this.selector = Selector.open();
        this.prefix = ("\"" + idPrefix).getBytes(StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                c.socket().setSoTimeout(5000);
                c.write(ByteBuffer.wrap(("GET /?channel=" + channel + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                Receiver r = new Receiver(c);
                String head = readHead(c, r.in);
                if (!head.startsWith("HTTP/1.1 101")) {
                    throw new IOException("upgrade refused: " + head);
                }
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ, r);
                receivers.add(r);
            }
        } catch (IOException e) {
            closeAll();
            throw e;
        }
        thread = new Thread(this::run, "fast-receivers");
        thread.start();
    }

    /** Reads the handshake response through its blank line, with a blocking channel; leaves any frame bytes in {@code in}. */
    private static String readHead(SocketChannel c, ByteBuffer in) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) one.get(0));
        }
        return head.toString();
    }

    private void run() {
        try {
            while (running) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Receiver r = (Receiver) key.attachment();
                    int n = r.channel.read(r.in);
                    frames(r);
                    if (n < 0) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Takes every complete frame out of {@code r.in}. */
    private void frames(Receiver r) {
        ByteBuffer b = r.in;
        b.flip();
        while (b.remaining() >= 2) {
            int start = b.position();
            int first = b.get(start) & 0xFF;
            int len7 = b.get(start + 1) & 0x7F;
            int header = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
            if (b.remaining() < header) {
                break;
            }
            long length = len7 == 126 ? b.getShort(start + 2) & 0xFFFF : len7 == 127 ? b.getLong(start + 2) : len7;
            if (b.remaining() < header + length) {
                break;
            }
            int from = start + header;
            int to = (int) (from + length);
            int opcode = first & 0x0F;
            synchronized (this) {
                if (opcode == 0x1) {
                    String id = findId(b, from, to);
                    if (id != null && r.ids.add(id) && r.ids.size() <= MAX_IDS) {
                        reached[r.ids.size()]++;
                        if (reached[r.ids.size()] == receivers.size()) {
                            notifyAll();
                        }
                    }
                } else if (opcode == 0x8) {
                    r.closeCode = length >= 2 ? ((b.get(from) & 0xFF) << 8) | (b.get(from + 1) & 0xFF) : 1005;
                }
            }
            b.position(to);
        }
        b.compact();
    }

    private String findId(ByteBuffer b, int from, int to) {
        outer:
        for (int i = from; i + prefix.length < to; i++) {
            for (int k = 0; k < prefix.length; k++) {
                if (b.get(i + k) != prefix[k]) {
                    continue outer;
                }
            }
            int end = i + prefix.length;
            while (end < to && b.get(end) >= '0' && b.get(end) <= '9') {
                end++;
            }
            byte[] id = new byte[end - i - 1];
            for (int k = 0; k < id.length; k++) {
                id[k] = b.get(i + 1 + k);
            }
            return new String(id, StandardCharsets.US_ASCII);
        }
        return null;
    }

    /** How many distinct ids each receiver got so far; fails if the reading thread failed. */
    synchronized List<Integer> counts() {
        if (failure != null) {
            throw new java.io.UncheckedIOException("the receivers' reading thread failed", failure);
        }
        return receivers.stream().map(r -> r.ids.size()).toList();
    }

    /**
     * Waits until every receiver has at least {@code n} distinct ids, so that a publisher can stay a bounded window
     * ahead of them (their outbound queues in the bridge never fill); fails after {@code timeout}, or if the reading
     * thread failed. Any thread but the reading one.
     */
    synchronized void awaitEach(int n, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (n > 0 && reached[Math.min(n, MAX_IDS)] < receivers.size()) {
            if (failure != null) {
                throw new java.io.UncheckedIOException("the receivers' reading thread failed", failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not every one of " + receivers.size() + " fast receivers got " + n + " envelopes within "
                        + timeout + " (" + reached[Math.min(n, MAX_IDS)] + " did)");
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 100_000_000L));
        }
    }

    /** Close codes received (0: none): a fast receiver must not be closed. */
    synchronized List<Integer> closeCodes() {
        return receivers.stream().map(r -> r.closeCode).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
        closeAll();
    }

    private void closeAll() {
        for (Receiver r : receivers) {
            try {
                r.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
