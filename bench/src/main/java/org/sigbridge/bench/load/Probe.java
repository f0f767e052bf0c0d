package org.sigbridge.bench.load;

/**
 * The body of every generated message: {@code {"c":client,"s":seq,"t":sendNanos,"m":0|1,"p":"xxx…"}}. Delivered
 * frames are scanned for these three keys wherever they are (a bare data value or inside a whole envelope),
 * so the generator needs no JSON library on its hot path.
 *
 * @param client   index of the sending client
 * @param seq      per-client sequence number, from 0
 * @param sendNanos {@link System#nanoTime()} just before the frame was handed to the socket
 * @param measured  whether the sender counted it in the measurement window; receivers count exactly
 *                  these, so a message racing the window boundary is counted on both sides or on neither
 */
public record Probe(int client, long seq, long sendNanos, boolean measured) {
    /** What {@link #parse} returns for a frame that is not a probe (presence, errors). */
    public static final Probe NONE = new Probe(-1, -1, 0, false);

    public boolean isProbe() {
        return client >= 0;
    }

    /** The JSON object text for this probe padded with {@code filler} (letters only). */
    public String body(String filler) {
        return "{\"c\":" + client + ",\"s\":" + seq + ",\"t\":" + sendNanos + ",\"m\":" + (measured ? 1 : 0)
                + ",\"p\":\"" + filler + "\"}";
    }

    /** Finds the probe fields in a delivered frame; {@link #NONE} if any of them is missing. */
    public static Probe parse(String frame) {
        long client = number(frame, "\"c\":");
        long seq = number(frame, "\"s\":");
        long sendNanos = number(frame, "\"t\":");
        long measured = number(frame, "\"m\":");
        if (client < 0 || seq < 0 || sendNanos == Long.MIN_VALUE || client > Integer.MAX_VALUE) {
            return NONE;
        }
        return new Probe((int) client, seq, sendNanos, measured == 1);
    }

    /** The integer after {@code key}; {@link Long#MIN_VALUE} when the key is absent or not followed by digits. */
    private static long number(String frame, String key) {
        int at = frame.indexOf(key);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = at + key.length();
        boolean negative = i < frame.length() && frame.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int start = i;
        long value = 0;
        while (i < frame.length()) {
            char ch = frame.charAt(i);
            if (ch < '0' || ch > '9') {
                break;
            }
            value = value * 10 + (ch - '0');
            i++;
        }
        if (i == start) {
            return Long.MIN_VALUE;
        }
        return negative ? -value : value;
    }
}
