package org.sigbridge.bench.floor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The JVM alone: a plain {@link ServerSocket} on 127.0.0.1:{@code $SIGBRIDGE_WEB_PORT} that reads a request head and
 * answers {@code 200 ok}, one connection at a time, until killed. What any Java server pays before it can accept.
 */
public final class SocketFloor {

    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    private SocketFloor() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("SIGBRIDGE_WEB_PORT"));
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            while (true) {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    skipHead(in);
                    out.write(ANSWER);
                } catch (IOException e) {
                    // a probe that only connected: next
                }
            }
        }
    }

    /** Reads up to the blank line that ends a request head, or to end of stream. */
    private static void skipHead(InputStream in) throws IOException {
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
