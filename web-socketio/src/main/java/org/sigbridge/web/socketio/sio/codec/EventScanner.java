package org.sigbridge.web.socketio.sio.codec;

import java.util.ArrayList;
import java.util.List;
import org.sigbridge.envelope.JsonValue;

/**
 * The fast path of {@link SioCodec} for the packet every delivery starts with, an EVENT's JSON array
 * ({@code ["message",{…}]}): one strict pass over the text that finds the array's elements and the first argument's
 * top-level {@code sender}, with no parser objects, no character buffer and no token strings (docs/benchmarks.md,
 * "socket.io 4", round 3).
 *
 * <p>It accepts only what Jackson's default {@code JsonFactory} accepts, and slices exactly what {@link SioCodec}'s
 * Jackson pass slices; anything it is not sure of it declines ({@code null}), and the caller parses with Jackson,
 * which gives the verdict and the error message: malformed JSON, a backslash in a field name, nesting deeper than
 * {@value #MAX_DEPTH}, a number longer than {@value #MAX_NUMBER} characters, a name longer than {@value #MAX_NAME}
 * or a string longer than {@value #MAX_STRING} (Jackson's own limits are larger: it is the one to enforce them).
 * {@code EventScannerTest} checks the two against each other on valid and broken inputs. Pure and thread-safe.
 */
final class EventScanner {

    static final int MAX_DEPTH = 32;
    static final int MAX_NUMBER = 64;
    static final int MAX_NAME = 1_000;
    static final int MAX_STRING = 1_000_000;

    /** What the pass read: the array's elements (raw, verbatim) and the first argument's sender, as Jackson's pass does. */
    record Scanned(List<JsonValue> items, SioPacket.ArgSender sender) {
    }

    /** Thrown inside a pass to decline; never escapes. Stackless. */
    private static final class Decline extends Exception {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    /** {@link #nextBackslash} when the rest of the text has none. */
    private static final int NO_BACKSLASH = Integer.MAX_VALUE;

    private final String s;
    private final int end;
    private int i;
    /** The first backslash at or after the last search's start; -1 before the first search. */
    private int nextBackslash = -1;

    private EventScanner(String s) {
        this.s = s;
        this.end = s.length();
    }

    /**
     * Scans {@code json}, the JSON of an EVENT packet.
     *
     * @return the elements and the sender, or {@code null} when the text must go to Jackson (not an array, not valid,
     *         or something this pass leaves to Jackson)
     */
    static Scanned scan(String json) {
        try {
            return new EventScanner(json).array();
        } catch (Decline d) {
            return null;
        }
    }

    private Scanned array() throws Decline {
        skipSpace();
        expect('[');
        List<JsonValue> items = new ArrayList<>(4);
        SioPacket.ArgSender sender = SioPacket.ArgSender.NOT_AN_OBJECT;
        skipSpace();
        if (peek() == ']') {
            i++;
        } else {
            while (true) {
                int start = i;
                if (items.size() == 1 && peek() == '{') {
                    sender = new SioPacket.ArgSender(true, objectSender());
                } else {
                    value(1);
                }
                items.add(new JsonValue(s.substring(start, i)));
                skipSpace();
                char c = next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw Decline.INSTANCE;
                }
                skipSpace();
            }
        }
        skipSpace();
        if (i != end) {
            throw Decline.INSTANCE; // text after the payload: Jackson words the error
        }
        return new Scanned(items, sender);
    }

    /** The object at {@code i} (depth 2), skipped; its top-level {@code sender} value, the last one when repeated. */
    private JsonValue objectSender() throws Decline {
        expect('{');
        JsonValue sender = null;
        skipSpace();
        if (peek() == '}') {
            i++;
            return null;
        }
        while (true) {
            int nameStart = i;
            string(MAX_NAME, true);
            boolean wanted = i - nameStart == 8 && s.startsWith("\"sender\"", nameStart);
            skipSpace();
            expect(':');
            skipSpace();
            int valueStart = i;
            value(2);
            if (wanted) {
                sender = new JsonValue(s.substring(valueStart, i));
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                return sender;
            }
            if (c != ',') {
                throw Decline.INSTANCE;
            }
            skipSpace();
        }
    }

    /** Skips one value starting at {@code i}, nested {@code depth} levels inside the root. */
    private void value(int depth) throws Decline {
        if (depth > MAX_DEPTH) {
            throw Decline.INSTANCE;
        }
        char c = peek();
        switch (c) {
            case '"' -> string(MAX_STRING, false);
            case '{' -> {
                i++;
                skipSpace();
                if (peek() == '}') {
                    i++;
                    return;
                }
                while (true) {
                    string(MAX_NAME, true);
                    skipSpace();
                    expect(':');
                    skipSpace();
                    value(depth + 1);
                    skipSpace();
                    char d = next();
                    if (d == '}') {
                        return;
                    }
                    if (d != ',') {
                        throw Decline.INSTANCE;
                    }
                    skipSpace();
                }
            }
            case '[' -> {
                i++;
                skipSpace();
                if (peek() == ']') {
                    i++;
                    return;
                }
                while (true) {
                    value(depth + 1);
                    skipSpace();
                    char d = next();
                    if (d == ']') {
                        return;
                    }
                    if (d != ',') {
                        throw Decline.INSTANCE;
                    }
                    skipSpace();
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /**
     * A string at {@code i}, quotes included: no control character unescaped, only JSON's escapes. A field name
     * ({@code name}) with any escape is declined: Jackson compares names decoded.
     *
     * <p>The closing quote and the next backslash are found with {@link String#indexOf(int, int)} (the JDK's
     * vectorised search) instead of testing every character for three things; what lies before the quote is then
     * only tested for control characters. Same verdicts as a character-by-character pass ({@code EventScannerTest}).
     * Linear in the text: each search starts past where the one before it ended (a string of many escapes is not
     * searched for its quote once per escape; {@link #backslashFrom}).
     */
    private void string(int max, boolean name) throws Decline {
        expect('"');
        int start = i;
        int quote = -1;
        while (true) {
            int backslash = backslashFrom(i);
            if (quote < i) { // the first search, or the quote found was escaped: search on from here, never twice
                quote = s.indexOf('"', i);
                if (quote < 0) {
                    throw Decline.INSTANCE; // unterminated
                }
            }
            int stop = Math.min(backslash, quote);
            for (int k = i; k < stop; k++) {
                if (s.charAt(k) < 0x20) {
                    throw Decline.INSTANCE;
                }
            }
            if (stop == quote) {
                i = quote + 1;
                break;
            }
            if (name) {
                throw Decline.INSTANCE;
            }
            i = backslash + 1;
            if (i >= end) {
                throw Decline.INSTANCE;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                }
                case 'u' -> {
                    for (int k = 0; k < 4; k++) {
                        if (i >= end || !hex(s.charAt(i++))) {
                            throw Decline.INSTANCE;
                        }
                    }
                }
                default -> throw Decline.INSTANCE;
            }
        }
        if (i - 1 - start > max) {
            throw Decline.INSTANCE;
        }
    }

    /**
     * The first backslash at or after {@code from}, or {@link #NO_BACKSLASH}: searched again only once the scan has
     * passed the one found before, so the searches of one pass never cover a character twice.
     */
    private int backslashFrom(int from) {
        if (nextBackslash < from) {
            int b = s.indexOf('\\', from);
            nextBackslash = b < 0 ? NO_BACKSLASH : b;
        }
        return nextBackslash;
    }

    /** An ASCII hex digit (not {@link Character#digit}'s, which takes other scripts' digits too). */
    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}, followed by a delimiter. */
    private void number() throws Decline {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        char first = peek();
        if (first == '0') {
            i++;
        } else if (first >= '1' && first <= '9') {
            digits();
        } else {
            throw Decline.INSTANCE;
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            if (digits() == 0) {
                throw Decline.INSTANCE;
            }
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw Decline.INSTANCE;
            }
        }
        if (i - start > MAX_NUMBER) {
            throw Decline.INSTANCE;
        }
        delimiter();
    }

    private int digits() {
        int start = i;
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - start;
    }

    private void literal(String word) throws Decline {
        if (!s.startsWith(word, i)) {
            throw Decline.INSTANCE;
        }
        i += word.length();
        delimiter();
    }

    /** A number or a literal must end at a delimiter: whitespace, {@code ,}, {@code ]} or {@code }} (not the end: nested). */
    private void delimiter() throws Decline {
        char c = peek();
        if (c != ',' && c != ']' && c != '}' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            throw Decline.INSTANCE;
        }
    }

    private void skipSpace() {
        while (i < end) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private void expect(char c) throws Decline {
        if (next() != c) {
            throw Decline.INSTANCE;
        }
    }

    /** The character at {@code i}, consumed; declines at the end of the text. */
    private char next() throws Decline {
        if (i >= end) {
            throw Decline.INSTANCE;
        }
        return s.charAt(i++);
    }

    /** The character at {@code i}, not consumed; declines at the end of the text. */
    private char peek() throws Decline {
        if (i >= end) {
            throw Decline.INSTANCE;
        }
        return s.charAt(i);
    }
}
