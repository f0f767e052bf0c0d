package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Notices old spellings of keys as Jackson reads them and reports each once, as one line naming the file,
 * the line, the key path and the spelling to write instead. The value itself is bound by the settings
 * record, which accepts the old spelling with {@code @JsonAlias}; every entry here has such an alias.
 *
 * <p>Old spellings, by the name of the mapping they sit in:
 * <ul>
 *   <li>{@code tls}: {@code keystore}, {@code keystore-password}, {@code keystore-type} (the web adapter's
 *       first spelling) are now {@code key-store}, {@code key-store-password}, {@code key-store-type}, as in
 *       every other section.</li>
 * </ul>
 */
final class DeprecatedKeys extends JsonParserDelegate {

    /** Parent mapping name → old key → new key. */
    static final Map<String, Map<String, String>> RENAMED = Map.of(
            "tls", Map.of("keystore", "key-store", "keystore-password", "key-store-password", "keystore-type", "key-store-type"));

    private final String source;
    private final Consumer<String> warnings;
    private final Set<String> reported = new HashSet<>();

    DeprecatedKeys(JsonParser delegate, String source, Consumer<String> warnings) {
        super(delegate);
        this.source = source;
        this.warnings = warnings;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = super.nextToken();
        check();
        return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = super.nextValue();
        check();
        return t;
    }

    private void check() throws IOException {
        JsonStreamContext context = delegate.getParsingContext();
        if (context == null || !context.inObject() || context.getCurrentName() == null || context.getParent() == null) {
            return;
        }
        String parent = context.getParent().getCurrentName();
        Map<String, String> renamed = parent == null ? null : RENAMED.get(parent);
        String old = context.getCurrentName();
        String now = renamed == null ? null : renamed.get(old);
        if (now == null) {
            return;
        }
        int line = delegate.currentTokenLocation().getLineNr();
        String path = keyPath(context);
        if (reported.add(path + "@" + line)) {
            warnings.accept(source + (line > 0 ? ":" + line : "") + ": " + path + ": '" + old + "' is an old spelling; write '"
                    + now + "' (the old one is still read, for now)");
        }
    }

    private static String keyPath(JsonStreamContext context) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.addFirst("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.addFirst("[" + c.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
