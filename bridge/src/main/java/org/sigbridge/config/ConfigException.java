package org.sigbridge.config;

/**
 * A configuration problem, located. {@link #getMessage()} is the one line the launcher prints:
 * {@code conf/x.yml:14: routes[2].to: no adapter named 'xmp'; hint: use one of web, xmpp}.
 */
public final class ConfigException extends Exception {

    private final String source;
    private final int line;
    private final String keyPath;
    private final String problem;
    private final String hint;

    /**
     * @param source  the file (or {@code <code>})
     * @param line    1-based line, or 0 when unknown
     * @param keyPath e.g. {@code adapters.web.port}; empty for the document itself
     * @param problem what is wrong
     * @param hint    how to fix it; may be empty
     */
    public ConfigException(String source, int line, String keyPath, String problem, String hint) {
        super(format(source, line, keyPath, problem, hint));
        this.source = source;
        this.line = line;
        this.keyPath = keyPath;
        this.problem = problem;
        this.hint = hint;
    }

    private static String format(String source, int line, String keyPath, String problem, String hint) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        sb.append(problem);
        if (!hint.isEmpty()) {
            sb.append("; hint: ").append(hint);
        }
        return sb.toString();
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String keyPath() {
        return keyPath;
    }

    public String problem() {
        return problem;
    }

    public String hint() {
        return hint;
    }
}
