package org.sigbridge.testing.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Fast, seeded generators of fuzz input: JSON values and objects over a given key vocabulary (so that the dispatch
 * paths of a parser are reached, not only "invalid JSON"), any string (unpaired surrogates and control characters
 * included), arbitrary bytes, and mutations of any text (truncated, a character inserted, replaced or deleted, a
 * slice doubled). A fuzz test builds each try's input here from the seed {@link FuzzRun} hands it; FuzzRun reports
 * the seed, and the assertion messages carry the input itself. About a microsecond per input, so a million inputs
 * per parser fit a long run (a combinator library measured about 2.5 ms per JSON frame here).
 *
 * <p>Not thread-safe: one per try.
 */
public final class FuzzText {

    private static final String[] ODD_STRINGS = {"", "room1", "true", "{\"a\":1}", "\u00fc\u20ac\ud83d\ude00",
            "https://example.org/r?x=1", "\ud800", "\u0000", "<x/>", "&amp;", "%00", "\r\n"};
    private static final String[] ODD_NUMBERS = {"0", "-0", "1e999", "1.5e-9", "123456789012345678901234567890", "01",
            "-", "1.", ".5", "NaN", "Infinity"};

    private final SplittableRandom random;

    public FuzzText(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A number in {@code [0, bound)}. */
    public int below(int bound) {
        return random.nextInt(bound);
    }

    /** One of {@code choices}. */
    @SafeVarargs
    public final <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** One of {@code choices}. */
    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Any string of up to {@code maxChars} chars: mostly ASCII, some Latin-1 and BMP, some surrogates and controls. */
    public String anyString(int maxChars) {
        int n = random.nextInt(maxChars + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(anyChar());
        }
        return sb.toString();
    }

    /** Any char, weighted towards ASCII. */
    public char anyChar() {
        return switch (random.nextInt(8)) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> (char) (0x80 + random.nextInt(0x80));
            case 2 -> (char) random.nextInt(0x10000);
            case 3 -> (char) (0xd800 + random.nextInt(0x800));
            default -> (char) (0x20 + random.nextInt(0x5f));
        };
    }

    /** Up to {@code max} arbitrary bytes. */
    public byte[] bytes(int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }

    /** A JSON string literal: quoted and escaped. */
    public String jsonString() {
        return quote(random.nextInt(3) == 0 ? pick(ODD_STRINGS) : anyString(24));
    }

    /** A JSON scalar: string, number (odd and invalid ones included), boolean or null. */
    public String jsonScalar() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> jsonString();
            case 2 -> Integer.toString(random.nextInt());
            case 3 -> Double.toString(random.nextDouble() * 1e6);
            case 4 -> pick("true", "false", "null");
            default -> pick(ODD_NUMBERS);
        };
    }

    /** A JSON value of depth up to {@code depth}, objects keyed mostly from {@code keys}. */
    public String jsonValue(List<String> keys, int depth) {
        if (depth <= 0 || random.nextInt(3) != 0) {
            return jsonScalar();
        }
        return random.nextBoolean() ? jsonArray(keys, depth) : jsonObject(keys, depth);
    }

    /** A JSON object of up to six members keyed mostly from {@code keys}, values of depth up to {@code depth - 1}. */
    public String jsonObject(List<String> keys, int depth) {
        int n = random.nextInt(7);
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(random.nextInt(10) == 0 ? jsonString() : quote(pick(keys))).append(':').append(jsonValue(keys, depth - 1));
        }
        return sb.append('}').toString();
    }

    private String jsonArray(List<String> keys, int depth) {
        int n = random.nextInt(5);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(jsonValue(keys, depth - 1));
        }
        return sb.append(']').toString();
    }

    /** {@code text} edited zero to three times: truncated, a char inserted, replaced or deleted, a slice doubled. */
    public String mutate(String text) {
        String t = text;
        for (int k = random.nextInt(4); k > 0; k--) {
            int at = random.nextInt(t.length() + 1);
            t = switch (random.nextInt(5)) {
                case 0 -> t.substring(0, at);
                case 1 -> t.substring(0, at) + anyChar() + t.substring(at);
                case 2 -> at < t.length() ? t.substring(0, at) + anyChar() + t.substring(at + 1) : t + anyChar();
                case 3 -> at < t.length() ? t.substring(0, at) + t.substring(at + 1) : t;
                default -> t.substring(0, at) + t.substring(at / 2, at) + t.substring(at);
            };
        }
        return t;
    }

    /** Quotes {@code text} as a JSON string literal (RFC 8259 §7). */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
