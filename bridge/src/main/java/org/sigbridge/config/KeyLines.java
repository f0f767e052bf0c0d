package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The line each key path starts on ({@code adapters.web.port} → 7, {@code routes[2]} → 14), read in a
 * second, tolerant pass over the YAML so that error messages point at the key, not wherever the
 * parser happened to stand, and the column of its value ({@code port: 70000} → the column of {@code 70000}) or,
 * for a section, of the key. Stops quietly at the first syntax error.
 */
final class KeyLines {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Map<String, Integer> lines;
    private final Map<String, Integer> keyColumns;
    private final Map<String, Integer> columns;

    private KeyLines(Map<String, Integer> lines, Map<String, Integer> keyColumns, Map<String, Integer> columns) {
        this.lines = lines;
        this.keyColumns = keyColumns;
        this.columns = columns;
    }

    static KeyLines index(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, Integer> keyColumns = new HashMap<>();
        Map<String, Integer> columns = new HashMap<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t;
            String lastKey = null;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || (t.isStructStart() || t.isScalarValue()) && p.getParsingContext().getParent() != null
                        && p.getParsingContext().getParent().inArray()) {
                    String key = path(t == JsonToken.FIELD_NAME ? p.getParsingContext() : p.getParsingContext().getParent());
                    lines.putIfAbsent(key, p.currentTokenLocation().getLineNr());
                    keyColumns.putIfAbsent(key, p.currentTokenLocation().getColumnNr());
                    columns.putIfAbsent(key, p.currentTokenLocation().getColumnNr());
                }
                if (t == JsonToken.FIELD_NAME) {
                    lastKey = path(p.getParsingContext());
                } else if (t.isScalarValue() && lastKey != null && p.getParsingContext().inObject()
                        && lastKey.equals(path(p.getParsingContext()))
                        && Integer.valueOf(p.currentTokenLocation().getLineNr()).equals(lines.get(lastKey))) {
                    columns.put(lastKey, p.currentTokenLocation().getColumnNr()); // the value on the key's line
                    lastKey = null;
                } else {
                    lastKey = null;
                }
            }
        } catch (IOException e) {
            // A syntax error: the strict pass reports it; keep what was indexed so far.
        }
        return new KeyLines(lines, keyColumns, columns);
    }

    Optional<Integer> lineOf(String keyPath) {
        return Optional.ofNullable(lines.get(keyPath));
    }

    /** The column of the key's value when it is a scalar on the key's line, else of the key itself. */
    Optional<Integer> columnOf(String keyPath) {
        return Optional.ofNullable(columns.get(keyPath));
    }

    /** The column of the key itself (for an unknown key). */
    Optional<Integer> keyColumnOf(String keyPath) {
        return Optional.ofNullable(keyColumns.get(keyPath));
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    private static String path(JsonStreamContext context) {
        StringBuilder sb = new StringBuilder();
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.addFirst("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.addFirst("[" + c.getCurrentIndex() + "]");
            }
        }
        parts.forEach(sb::append);
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }
}
