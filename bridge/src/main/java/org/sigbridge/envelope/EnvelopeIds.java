package org.sigbridge.envelope;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues envelope ids that are unique across bridge instances: a random per-instance prefix and a
 * counter. Cheap enough for the hot path (no {@code UUID} per message). Thread-safe.
 */
public final class EnvelopeIds {

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int MAX_CLIENT_ID_CHARS = 128;

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public EnvelopeIds() {
        SecureRandom random = new SecureRandom();
        char[] chars = new char[10];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        this.prefix = new String(chars) + '-';
    }

    /** A fresh id, e.g. {@code k3j9x0a1bc-1f}. */
    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }

    /**
     * Whether a client-supplied id may be kept: printable ASCII without spaces or quotes, at most 128
     * characters. Anything else is replaced by a fresh id rather than rejected, since seed pages never
     * send ids and a bad one should not cost the message.
     */
    public static boolean isAcceptable(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < clientId.length(); i++) {
            char c = clientId.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '&' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
