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
 * parser happened to stand. Stops quietly at the first syntax error.
 */
final class KeyLines {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Map<String, Integer> lines;

    private KeyLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    static KeyLines index(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || (t.isStructStart() || t.isScalarValue()) && p.getParsingContext().getParent() != null
                        && p.getParsingContext().getParent().inArray()) {
                    lines.putIfAbsent(path(t == JsonToken.FIELD_NAME ? p.getParsingContext() : p.getParsingContext().getParent()),
                            p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // A syntax error: the strict pass reports it; keep what was indexed so far.
        }
        return new KeyLines(lines);
    }

    Optional<Integer> lineOf(String keyPath) {
        return Optional.ofNullable(lines.get(keyPath));
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
