package org.sigbridge.web.signalr.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The text framing of the JSON hub protocol (docs/signalr.md#wire): every message is one record ending with the record
 * separator {@code 0x1E}, and one WebSocket message may carry several. Pure and thread-safe.
 */
public final class HubRecords {

    /** The record separator, U+001E. */
    public static final char RS = '\u001e';

    private HubRecords() {
    }

    /**
     * Splits one WebSocket text message into its records, without their separators.
     *
     * @param frame          the whole text message
     * @param maxRecordBytes the largest record, in UTF-8 bytes
     * @return the records in order; at least one, and never more than the separators in {@code frame}
     * @throws HubProtocolException when the message does not end with the separator, a record is empty, or a record is
     *                              longer than {@code maxRecordBytes}
     */
    public static List<String> split(String frame, int maxRecordBytes) throws HubProtocolException {
        if (frame.isEmpty() || frame.charAt(frame.length() - 1) != RS) {
            throw new HubProtocolException("Message is incomplete: a hub message must end with the record separator 0x1E.");
        }
        List<String> records = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i < frame.length(); i++) {
            if (frame.charAt(i) != RS) {
                continue;
            }
            if (i == start) {
                throw new HubProtocolException("Message is empty: two record separators in a row.");
            }
            if (utf8Length(frame, start, i) > maxRecordBytes) {
                throw new HubProtocolException("The maximum message size of " + maxRecordBytes + "B was exceeded.");
            }
            records.add(frame.substring(start, i));
            start = i + 1;
        }
        return records;
    }

    /** The UTF-8 length of {@code s[from, to)}; a lone surrogate counts as the 3 bytes of its replacement. */
    static long utf8Length(CharSequence s, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
