package org.sigbridge.dist.soak;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A Socket.IO 4 client over a raw Engine.IO 4 WebSocket (docs/dialects.md §7.3): {@code /socket.io/?EIO=4&
 * transport=websocket&channel=c} (the connect query joins hub channel {@code c}, §6.1), the open packet {@code 0{…}},
 * CONNECT {@code 40} answered {@code 40{"sid":…}}, events {@code 42["message",value]}; the server's ping {@code 2} is
 * answered {@code 3} from the client's thread. Every frame is also handed to the ledger as {@code name}'s.
 */
final class SocketIoClient implements AutoCloseable {

    private final RawSocket socket;

    private SocketIoClient(RawSocket socket) {
        this.socket = socket;
    }

    static SocketIoClient connect(int port, String channel, String name, SoakLedger ledger) throws InterruptedException {
        RawSocket[] self = new RawSocket[1];
        RawSocket s = RawSocket.open(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket&channel="
                + URLEncoder.encode(channel, StandardCharsets.UTF_8)), f -> {
                    if (f.equals("2")) {
                        synchronized (self) {
                            if (self[0] != null) {
                                self[0].sendLater("3");
                            }
                        }
                    } else {
                        ledger.scan(name, f);
                    }
                });
        synchronized (self) {
            self[0] = s;
        }
        s.await(f -> f.startsWith("0{"), "Engine.IO open packet", RawSocket.CONNECT);
        s.send("40");
        s.await(f -> f.startsWith("40{"), "Socket.IO CONNECT answer", RawSocket.CONNECT);
        return new SocketIoClient(s);
    }

    /** Emits {@code message(valueJson)}. */
    void emit(String valueJson) {
        socket.send("42[\"message\"," + valueJson + "]");
    }

    void drop() {
        socket.drop();
    }

    @Override
    public void close() {
        socket.leave();
    }
}
