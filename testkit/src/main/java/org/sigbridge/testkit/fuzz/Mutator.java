package org.sigbridge.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Edits a sample from the corpus into a nearby input, the way a broken or hostile client would: bit flips, changed,
 * inserted, deleted and duplicated ranges, truncation, splicing with another sample, and boundary tokens (huge
 * numbers, deep nesting, separators, escapes, lone UTF-16 surrogates and, for bytes, invalid UTF-8). Bytes are
 * edited as ISO-8859-1 text, one char per byte, so both kinds share the operators. Immutable; safe on any thread.
 */
final class Mutator {

    /** The edit operators, applied 1 to 4 at a time. */
    enum Op { FLIP_BIT, SET_CHAR, INSERT, DELETE_RANGE, DUPLICATE_RANGE, TRUNCATE, SPLICE, TOKEN }

    /** Boundary tokens for text: numbers past every integer type, deep nesting, separators, broken escapes, UTF-16. */
    static final List<String> TEXT_TOKENS = List.of("0", "-0", "-1", "2147483648", "-2147483649", "9223372036854775808",
            "-9223372036854775809", "1e309", "1e-400", "0.5e", "NaN", "Infinity", "1".repeat(400), "null", "true", "\"\"",
            "\\", "\\u", "\\ud800", "\\u00", "\u0000", "\u001e", ":", ",", ";", "+", "/", "\r\n", "\n", "[".repeat(2000),
            "{\"a\":".repeat(1000), "]}".repeat(40), "\ud800", "\udc00", "\ude00\ud83d", "\ufffd", "\uffff", "\ufeff",
            "\u00c3", "\u00e9", "a".repeat(5000));
    /** Invalid UTF-8: a lone lead byte, an overlong NUL, an encoded surrogate, past U+10FFFF, 0xFF, a lone continuation. */
    static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98});

    private final List<String> corpus;
    private final String alphabet;
    private final List<String> tokens;
    private final int charBits;
    private final int maxLength;

    /**
     * @param corpus    the valid samples (already as text; bytes as ISO-8859-1)
     * @param alphabet  the characters random edits insert; never empty
     * @param extra     tokens of the protocol under test, added to the boundary tokens
     * @param bytes     whether inputs are bytes (8-bit chars, UTF-8 tokens) or text (16-bit chars)
     * @param maxLength inputs are cut to this length
     */
    Mutator(List<String> corpus, String alphabet, List<String> extra, boolean bytes, int maxLength) {
        this.corpus = List.copyOf(corpus);
        this.alphabet = alphabet;
        this.charBits = bytes ? 8 : 16;
        this.maxLength = maxLength;
        List<String> all = new ArrayList<>(extra);
        for (String t : TEXT_TOKENS) {
            all.add(bytes ? new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) : t);
        }
        if (bytes) {
            INVALID_UTF8.forEach(b -> all.add(new String(b, StandardCharsets.ISO_8859_1)));
        }
        this.tokens = List.copyOf(all);
    }

    /** One input: a sample unchanged (1 in 16), a mutated sample (11), random alphabet text (2) or random chars (2). */
    String generate(SplittableRandom r) {
        int pick = r.nextInt(16);
        if (corpus.isEmpty() || pick >= 12) {
            return random(r, pick % 2 == 0 ? alphabet : null, 1 + r.nextInt(80));
        }
        StringBuilder sb = new StringBuilder(corpus.get(r.nextInt(corpus.size())));
        for (int edits = pick == 0 ? 0 : 1 + r.nextInt(4); edits > 0; edits--) {
            apply(Op.values()[r.nextInt(Op.values().length)], sb, r);
        }
        return sb.toString();
    }

    /** Applies {@code op} to {@code sb} at random places; on an empty input every operator inserts. */
    void apply(Op op, StringBuilder sb, SplittableRandom r) {
        int n = sb.length();
        int at = r.nextInt(n + 1);
        int len = n == 0 ? 0 : 1 + r.nextInt(Math.min(16, n));
        int from = r.nextInt(n - len + 1);
        switch (n == 0 && op != Op.TOKEN && op != Op.SPLICE ? Op.INSERT : op) {
            case FLIP_BIT -> sb.setCharAt(from, (char) (sb.charAt(from) ^ (1 << r.nextInt(charBits))));
            case SET_CHAR -> sb.setCharAt(from, oneChar(r, r.nextInt(4) == 0 ? null : alphabet));
            case INSERT -> sb.insert(at, random(r, alphabet, 1 + r.nextInt(4)));
            case DELETE_RANGE -> sb.delete(from, from + len);
            case DUPLICATE_RANGE -> sb.insert(at, sb.substring(from, from + len));
            case TRUNCATE -> sb.setLength(Math.min(at, Math.max(0, n - 1)));
            case SPLICE -> {
                String other = corpus.isEmpty() ? random(r, alphabet, 8) : corpus.get(r.nextInt(corpus.size()));
                sb.setLength(at);
                sb.append(other, r.nextInt(other.length() + 1), other.length());
            }
            case TOKEN -> sb.replace(at, Math.min(n, at + (r.nextBoolean() ? 0 : r.nextInt(4))), tokens.get(r.nextInt(tokens.size())));
            default -> throw new IllegalStateException("no such operator " + op);
        }
        if (sb.length() > maxLength) {
            sb.setLength(maxLength);
        }
    }

    private String random(SplittableRandom r, String from, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(oneChar(r, from));
        }
        return sb.toString();
    }

    /** A char of {@code from}, or with {@code null} any char of the input's width (lone surrogates included). */
    private char oneChar(SplittableRandom r, String from) {
        return from == null ? (char) r.nextInt(1 << charBits) : from.charAt(r.nextInt(from.length()));
    }
}
