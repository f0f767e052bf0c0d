package org.sigbridge.sip.mapping;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Escaping of the user part of a SIP URI (RFC 3261 §19.1.2 and §25.1: {@code user = 1*(unreserved /
 * escaped / user-unreserved)}). Channel names and senders are any Unicode, so everything outside the
 * unreserved set is written as {@code %XX} of its UTF-8 bytes. {@code ;} and {@code ?} are escaped too although
 * the grammar allows them: many parsers split URIs there. Stateless and thread-safe.
 */
public final class SipUserPart {

    private static final String KEPT = "-_.!~*'()&=+$,";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SipUserPart() {
    }

    /** The escaped user part for any non-empty string. */
    public static String escape(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 8);
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || KEPT.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8.
     *
     * @return empty if an escape is malformed or the bytes are not UTF-8
     */
    public static Optional<String> unescape(String escaped) {
        if (escaped.indexOf('%') < 0) {
            return Optional.of(escaped);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%') {
                if (i + 2 >= escaped.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(escaped.charAt(i + 1), 16);
                int lo = Character.digit(escaped.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
