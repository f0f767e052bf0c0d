package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code ${NAME}} and {@code ${NAME:-default}} in string scalars as Jackson reads them.
 *
 * <p>Working on tokens rather than the file's text keeps YAML quoting intact (a password holding
 * {@code #} or {@code : } cannot break the document), keeps line numbers exact, and leaves comments
 * alone. {@code $$} writes a literal {@code $}. A variable that is unset and has no default is an
 * error at that value's line.
 */
final class EnvironmentSubstitution extends JsonParserDelegate {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> environment;
    private final java.util.List<UnsetVariable> unset;
    private String substituted;

    /** Throws {@link UnsetVariable} at the first variable that is unset and has no default. */
    EnvironmentSubstitution(JsonParser delegate, Function<String, String> environment) {
        this(delegate, environment, null);
    }

    /**
     * With {@code unset} non-null, adds every unset variable to it and reads it as an empty value instead of
     * throwing: a scan that lists them all at once (the values read are then not to be bound).
     */
    EnvironmentSubstitution(JsonParser delegate, Function<String, String> environment, java.util.List<UnsetVariable> unset) {
        super(delegate);
        this.environment = environment;
        this.unset = unset;
    }

    /**
     * Every variable in {@code yaml} that is unset and has no default, in file order. Stops quietly at a
     * syntax error (the strict pass reports it).
     */
    static java.util.List<UnsetVariable> scan(JsonParser parser, Function<String, String> environment) {
        java.util.List<UnsetVariable> found = new java.util.ArrayList<>();
        try (JsonParser p = new EnvironmentSubstitution(parser, environment, found)) {
            while (p.nextToken() != null) {
                // reading is the scan
            }
        } catch (IOException e) {
            // A syntax error: report what was found before it; the strict pass names the error.
        }
        return found;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        substituted = null;
        JsonToken token = super.nextToken();
        if (token == JsonToken.VALUE_STRING) {
            substituted = substitute(delegate.getText());
        }
        return token;
    }

    @Override
    public String getText() throws IOException {
        return substituted != null && currentToken() == JsonToken.VALUE_STRING ? substituted : super.getText();
    }

    @Override
    public String getValueAsString() throws IOException {
        return substituted != null && currentToken() == JsonToken.VALUE_STRING ? substituted : super.getValueAsString();
    }

    @Override
    public String getValueAsString(String defaultValue) throws IOException {
        return substituted != null && currentToken() == JsonToken.VALUE_STRING ? substituted : super.getValueAsString(defaultValue);
    }

    @Override
    public char[] getTextCharacters() throws IOException {
        return substituted != null && currentToken() == JsonToken.VALUE_STRING ? substituted.toCharArray() : super.getTextCharacters();
    }

    @Override
    public int getTextLength() throws IOException {
        return substituted != null && currentToken() == JsonToken.VALUE_STRING ? substituted.length() : super.getTextLength();
    }

    @Override
    public int getTextOffset() throws IOException {
        return substituted != null && currentToken() == JsonToken.VALUE_STRING ? 0 : super.getTextOffset();
    }

    /** The dotted key path of the current value, e.g. {@code adapters.xmpp.password}. */
    private String keyPath() {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = delegate.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.addFirst("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.addFirst("[" + c.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** An unset variable without a default; carries the key path, which Jackson's wrapping may lose. */
    static final class UnsetVariable extends JsonParseException {
        final String keyPath;
        final String variable;

        UnsetVariable(JsonParser parser, String keyPath, String variable, String message) {
            super(parser, message);
            this.keyPath = keyPath;
            this.variable = variable;
        }
    }

    private String substitute(String text) throws JsonParseException {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = environment.apply(m.group(1));
                if (value == null || value.isEmpty() && m.group(2) != null) {
                    if (m.group(2) == null) {
                        UnsetVariable problem = new UnsetVariable(delegate, keyPath(), m.group(1), "environment variable " + m.group(1)
                                + " is not set; export it, or give a default: ${" + m.group(1) + ":-value}");
                        if (unset == null) {
                            throw problem;
                        }
                        unset.add(problem);
                    }
                    value = m.group(2) == null ? "" : m.group(2);
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
