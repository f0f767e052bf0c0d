package org.sigbridge.web;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that writes frame bytes as given, for input no real client library will produce (a text frame
 * that is not UTF-8). Minimal RFC 6455 framing: masked client frames up to 125 bytes, unmasked server frames.
 */
final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private String responseHead;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(int port, String path) throws IOException {
        return open(port, path, "");
    }

    /** @param extraHeaders more request header lines, each ending in CRLF */
    static RawWebSocket open(int port, String path, String extraHeaders) throws IOException {
        RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
        ws.out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        ws.responseHead = ws.readHeaders();
        if (!ws.responseHead.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + ws.responseHead);
        }
        return ws;
    }

    /** The status line and headers of the handshake response. */
    String responseHead() {
        return responseHead;
    }

    /** One final, masked TEXT frame carrying {@code payload} as is. */
    void sendText(byte[] payload) throws IOException {
        out.write(textFrame(payload));
        out.flush();
    }

    /** Several final, masked TEXT frames in one socket write, so that the server reads them all at once. */
    void sendTextsAtOnce(java.util.List<String> payloads) throws IOException {
        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        for (String payload : payloads) {
            burst.writeBytes(textFrame(payload.getBytes(StandardCharsets.UTF_8)));
        }
        out.write(burst.toByteArray());
        out.flush();
    }

    private static byte[] textFrame(byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /** Reads server frames until a text frame and returns it; fails on a close frame. */
    String nextText() throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0F;
            byte[] payload = readPayload();
            if (opcode == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if (opcode == 0x8) {
                throw new IOException("closed");
            }
        }
    }

    private byte[] readPayload() throws IOException {
        int length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        return in.readNBytes(length);
    }

    /** Reads server frames until a close frame and returns its status code. */
    int closeCode() throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0F;
            byte[] payload = readPayload();
            if (opcode == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
        }
    }

    private String readHeaders() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
