package org.sigbridge.web.signalr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server-Sent Events framing of the SignalR SSE transport (docs/signalr.md#transports; the WHATWG HTML standard's
 * event stream format): one unnamed event per batch of records, {@code data: <records>} and a blank line. A line break
 * inside the records starts a new {@code data:} line, which the client joins with {@code \n} (the transport may turn
 * {@code \r\n} into {@code \n}, as ASP.NET Core's documents allow). Pure.
 */
final class SseEvents {

    private SseEvents() {
    }

    /** One event carrying {@code frames} (UTF-8 records, each ending with its record separator) back to back. */
    static ByteBuffer event(List<ByteBuffer> frames) {
        StringBuilder text = new StringBuilder("data: ");
        for (ByteBuffer frame : frames) {
            String records = StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
            for (int i = 0; i < records.length(); i++) {
                char ch = records.charAt(i);
                if (ch == '\r' || ch == '\n') {
                    if (ch == '\r' && i + 1 < records.length() && records.charAt(i + 1) == '\n') {
                        i++;
                    }
                    text.append("\r\ndata: ");
                } else {
                    text.append(ch);
                }
            }
        }
        text.append("\r\n\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
