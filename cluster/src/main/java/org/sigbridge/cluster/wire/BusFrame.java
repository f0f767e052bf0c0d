package org.sigbridge.cluster.wire;

import java.util.Objects;
import java.util.Optional;

/**
 * One frame on a channel's live subject or in its log: a header line, then a JSON body.
 * <ul>
 *   <li>{@code E <instance> <epoch> <offset>} an envelope (body: {@link EnvelopeCodec}); the append script writes the
 *       header, so offset and epoch are the log's own;</li>
 *   <li>{@code J <instance>} and {@code L <instance>}: a participant joined or left there (body: endpoint id and
 *       participant, {@link EnvelopeCodec#writeMember});</li>
 *   <li>{@code F <instance>} on an instance's control subject: an addressed envelope it sent found no recipient (body:
 *       {@link EnvelopeCodec#writeFailure}).</li>
 * </ul>
 *
 * @param kind     {@code E}, {@code J}, {@code L}, {@code F} (an addressed envelope's recipient was gone) or {@code H} (it was
 *                 gone but held for the presence grace)
 * @param instance the node id of the instance that wrote it
 * @param epoch    the log's epoch ({@code E} only, else empty)
 * @param offset   the log offset ({@code E} only, else 0)
 * @param body     the JSON body
 */
public record BusFrame(char kind, String instance, String epoch, long offset, String body) {

    public BusFrame {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(body, "body");
    }

    /** A frame without offset ({@code J}, {@code L}, {@code F}) as text. */
    public static String plain(char kind, String instance, String body) {
        return kind + " " + instance + "\n" + body;
    }

    /** Parses a frame; empty for anything malformed (counted by the caller, never thrown). */
    public static Optional<BusFrame> parse(String text) {
        int nl = text.indexOf('\n');
        if (nl < 3 || text.charAt(1) != ' ') {
            return Optional.empty();
        }
        char kind = text.charAt(0);
        String[] head = text.substring(2, nl).split(" ");
        String body = text.substring(nl + 1);
        try {
            return switch (kind) {
                case 'E' -> head.length == 3 ? Optional.of(new BusFrame(kind, head[0], head[1], Long.parseLong(head[2]), body)) : Optional.empty();
                case 'J', 'L', 'F', 'H' -> head.length == 1 ? Optional.of(new BusFrame(kind, head[0], "", 0, body)) : Optional.empty();
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
