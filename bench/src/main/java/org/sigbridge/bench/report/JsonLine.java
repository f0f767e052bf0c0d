package org.sigbridge.bench.report;

import java.util.Locale;
import java.util.Map;

/** A one-line JSON object built field by field, in insertion order. Not thread-safe. */
public final class JsonLine {
    private final StringBuilder sb = new StringBuilder("{");

    public JsonLine put(String key, String value) {
        return raw(key, value == null ? "null" : quote(value));
    }

    public JsonLine put(String key, long value) {
        return raw(key, Long.toString(value));
    }

    public JsonLine put(String key, double value) {
        return raw(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null");
    }

    public JsonLine put(String key, boolean value) {
        return raw(key, Boolean.toString(value));
    }

    public JsonLine put(String key, Map<String, Long> counts) {
        StringBuilder inner = new StringBuilder("{");
        counts.forEach((k, v) -> {
            if (inner.length() > 1) {
                inner.append(',');
            }
            inner.append(quote(k)).append(':').append(v);
        });
        return raw(key, inner.append('}').toString());
    }

    /** Adds an already serialised JSON value. */
    public JsonLine raw(String key, String json) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append(quote(key)).append(':').append(json);
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
