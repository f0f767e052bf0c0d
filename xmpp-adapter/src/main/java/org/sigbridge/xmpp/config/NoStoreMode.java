package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * {@code no-store:} when an outgoing message carries the XEP-0334 {@code <no-store/>} hint (docs/design.md §4.2,
 * {@code conf/reference/xmpp.md}). The hint asks a server to keep the message out of archives (XEP-0313) and out of
 * what it replays later: offline storage and a room's discussion history for occupants who join later
 * (XEP-0334's no-store hint; XEP-0045 §7.2.15). It costs the server an element to parse and to write to every occupant, so
 * {@link #AUTO} sends it only where a room says it archives.
 *
 * <p>The keys of earlier releases keep their meaning: {@code true} reads as {@link #ALWAYS} (what it always did),
 * {@code false} as {@link #NEVER}; the default, the key left out, is {@link #ALWAYS}: without the hint a room's
 * discussion history keeps the last signaling messages (SDP with the peers' addresses) for native clients that join
 * later, which no disco#info announces; {@link #AUTO} is for rooms whose history is off.
 */
public enum NoStoreMode {
    /**
     * For rooms whose discussion history is off (history length 0). On groupchat messages, the hint only where the room archives: its XEP-0030 disco#info lists
     * a Message Archive Management feature ({@code urn:xmpp:mam:2}, XEP-0313) or public logs, asked after every join and again when the room announces a
     * configuration change (XEP-0045 §10.2.1, status 104, 170, 171); until the answer comes, or when the room does
     * not answer, the hint goes as with {@link #ALWAYS}. On private messages (XEP-0045 §7.5) always: the
     * recipient's own server may archive them and no room can say whether it does.
     */
    AUTO,
    /**
     * The default. The hint on every message: for servers that keep messages without advertising MAM, and to keep signaling
     * out of a room's in-memory discussion history (Prosody and ejabberd keep the last 20 messages of a room by
     * default and replay them to native clients that join asking for history; bridges join asking for none).
     */
    ALWAYS,
    /** Never the hint: the room may archive and replay signaling like any chat message. */
    NEVER;

    /**
     * Reads the config value: {@code auto}, {@code always}, {@code never}, or the booleans of earlier releases.
     *
     * @throws IllegalArgumentException naming the key and the values it takes
     */
    @JsonCreator
    public static NoStoreMode of(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "always", "true" -> ALWAYS;
            case "never", "false" -> NEVER;
            default -> throw new IllegalArgumentException("no-store must be auto, always or never (true, as earlier releases"
                    + " wrote it, means always; false means never), not '" + text + "'");
        };
    }

    /** Whether a groupchat message to a room carries the hint, given what the room's disco#info said. */
    public boolean groupchat(RoomArchiving archiving) {
        return this == ALWAYS || (this == AUTO && archiving != RoomArchiving.NO);
    }

    /** Whether a private message (XEP-0045 §7.5) carries the hint. */
    public boolean privateMessage() {
        return this != NEVER;
    }

    /** The config spelling, e.g. {@code auto}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a room's disco#info said about archiving (XEP-0313; {@code RoomArchive} asks). */
    public enum RoomArchiving {
        /** Not asked yet, or no answer: treated as archiving. */
        UNKNOWN,
        /** The room lists {@code urn:xmpp:mam:*} or public logs. */
        YES,
        /** The room answered with neither. */
        NO
    }
}
