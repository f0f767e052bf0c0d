package org.sigbridge.envelope;

import java.security.SecureRandom;
import java.util.Optional;
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

    /**
     * "Keep the client's envelope id if acceptable, else issue one": the rule every adapter applies to an
     * id that arrives from outside (a browser frame, a SIP body written by another bridge, an XMPP
     * {@code signal} element or XEP-0359 origin-id).
     *
     * @param clientId the {@code id} field as read, or {@code null} when absent; kept only if it is a string
     *                 that {@link #isAcceptable} accepts
     */
    public String keepOrIssue(JsonValue clientId) {
        return keepable(clientId).orElseGet(this::next);
    }

    /** As {@link #keepOrIssue(JsonValue)}, for an id already read as text. */
    public String keepOrIssue(Optional<String> clientId) {
        return clientId.filter(EnvelopeIds::isAcceptable).orElseGet(this::next);
    }

    /** The client's id if it may be kept (a string that {@link #isAcceptable} accepts), else empty. */
    public static Optional<String> keepable(JsonValue clientId) {
        return clientId != null && clientId.isString() && isAcceptable(clientId.asText()) ? Optional.of(clientId.asText()) : Optional.empty();
    }

    /** As {@link #keepable(JsonValue)}, for an id already read as text. */
    public static Optional<String> keepable(Optional<String> clientId) {
        return clientId.filter(EnvelopeIds::isAcceptable);
    }
}
