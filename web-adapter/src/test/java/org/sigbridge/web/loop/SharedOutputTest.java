package org.sigbridge.web.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SharedOutput} on {@link LoopEndPoint}: Jetty's frame flusher and a second writer of pre-encoded frames use one
 * WebSocket's output at the same time, from two threads, without Jetty's {@code WritePendingException}; each writer's
 * frames arrive whole and in its order, every write is completed, and a close from Jetty still ends the socket. A real
 * Jetty server on {@link EventLoopConnector}, the JDK's WebSocket client.
 */
@Timeout(60)
class SharedOutputTest {

    private static final int EACH = 2_000;

    private Server server;
    private EventLoopConnector connector;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        connector = new EventLoopConnector(server, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        ws.addMapping("/both", (request, response, callback) -> new BothWriters());
        server.setHandler(ws);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void jettysFlusherAndPreEncodedFramesShareTheSocketEachInItsOrder() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/both"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("go", true).get(10, TimeUnit.SECONDS);
        List<String> direct = new ArrayList<>();
        List<String> jetty = new ArrayList<>();
        for (int i = 0; i < 2 * EACH; i++) {
            String m = received.poll(10, TimeUnit.SECONDS);
            assertTrue(m != null, "only " + i + " of " + 2 * EACH + " frames arrived");
            (m.startsWith("d") ? direct : jetty).add(m);
        }
        for (int i = 0; i < EACH; i++) {
            assertEquals("d" + i + "-" + "x".repeat(i % 300), direct.get(i), "the pre-encoded frames in their order");
            assertEquals("j" + i, jetty.get(i), "Jetty's frames in their order");
        }
        socket.sendText("close", true).get(10, TimeUnit.SECONDS);
        assertEquals(4000, closed.get(10, TimeUnit.SECONDS), "Jetty's close frame after the shared writes");
        assertEquals(EACH, completed.get(), "every shared write completed");
        assertEquals(0, failed.get());
    }

    /** On "go": one thread writes pre-encoded frames through {@link SharedOutput}, another sends Jetty frames. */
    private final class BothWriters implements FrameHandler {
        private CoreSession session;

        @Override
        public void onOpen(CoreSession s, Callback callback) {
            session = s;
            callback.succeeded();
            s.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.TEXT) {
                String text = frame.getPayloadAsUTF8();
                if (text.equals("go")) {
                    SharedOutput out = (SharedOutput) ((WebSocketCoreSession) session).getConnection().getEndPoint();
                    new Thread(() -> writeDirect(out, 0), "direct-writer").start();
                    new Thread(() -> {
                        for (int i = 0; i < EACH; i++) {
                            session.sendFrame(new Frame(OpCode.TEXT, "j" + i), Callback.NOOP, false);
                        }
                    }, "jetty-writer").start();
                } else if (text.equals("close")) {
                    session.close(4000, "done", Callback.NOOP);
                }
            }
            callback.succeeded();
            if (frame.getOpCode() != OpCode.CLOSE) {
                session.demand();
            }
        }

        /** One write in flight at a time, as every writer of a shared output must: the next starts when one completes. */
        private void writeDirect(SharedOutput out, int i) {
            while (i < EACH) {
                byte[] payload = ("d" + i + "-" + "x".repeat(i % 300)).getBytes(StandardCharsets.UTF_8);
                ByteBuffer frame = ByteBuffer.allocate(4 + payload.length);
                frame.put((byte) 0x81);
                if (payload.length < 126) {
                    frame.put((byte) payload.length);
                } else {
                    frame.put((byte) 126).putShort((short) payload.length);
                }
                frame.put(payload).flip();
                int next = i + 1;
                CompletableFuture<Void> done = new CompletableFuture<>();
                out.writeShared(Callback.from(() -> {
                    completed.incrementAndGet();
                    done.complete(null);
                }, x -> {
                    failed.incrementAndGet();
                    done.complete(null);
                }), frame);
                if (!done.isDone()) {
                    done.thenRun(() -> writeDirect(out, next)); // completes later, on Jetty's thread
                    return;
                }
                i = next;
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
