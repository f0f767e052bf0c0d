package org.sigbridge.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration problem, located. {@link #getMessage()} is the one line the launcher prints:
 * {@code conf/x.yml:14: routes[2].to: no adapter named 'xmp'; hint: use one of web, xmpp}.
 *
 * <p>{@link #located()} is the same line with the column after the line where it is known
 * ({@code conf/x.yml:14:9: ...}), as {@code --check} prints it; {@link #getMessage()} keeps {@code file:line}.
 *
 * <p>Some problems come several at once (every unset environment variable of a file): then this exception is
 * the first of them, {@link #problems()} lists them all and {@link #getMessage()} has one such line per problem.
 */
public final class ConfigException extends Exception {

    private final transient List<ConfigException> problems;
    private final String source;
    private final int line;
    private final int column;
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
        this(source, line, 0, keyPath, problem, hint);
    }

    /**
     * @param source  the file (or {@code <code>})
     * @param line    1-based line, or 0 when unknown
     * @param column  1-based column of the offending value or key, or 0 when unknown
     * @param keyPath e.g. {@code adapters.web.port}; empty for the document itself
     * @param problem what is wrong
     * @param hint    how to fix it; may be empty
     */
    public ConfigException(String source, int line, int column, String keyPath, String problem, String hint) {
        super(format(source, line, 0, keyPath, problem, hint));
        this.problems = List.of(this);
        this.source = source;
        this.line = line;
        this.column = line > 0 ? column : 0;
        this.keyPath = keyPath;
        this.problem = problem;
        this.hint = hint;
    }

    /**
     * Several problems of one file at once.
     *
     * @param problems at least one, each a single problem, in file order
     */
    public ConfigException(List<ConfigException> problems) {
        super(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
        ConfigException first = problems.get(0);
        this.problems = List.copyOf(problems);
        this.source = first.source;
        this.line = first.line;
        this.column = first.column;
        this.keyPath = first.keyPath;
        this.problem = first.problem;
        this.hint = first.hint;
    }

    /** Every problem this exception reports, each with its own one-line message; this one alone for most. */
    public List<ConfigException> problems() {
        return problems;
    }

    /** This problem (this one alone) as one line with its column: {@code conf/x.yml:14:9: key: problem; hint: fix}. */
    public String located() {
        return format(source, line, column, keyPath, problem, hint);
    }

    /** The same problem at {@code column} (1-based; 0 when unknown). */
    public ConfigException atColumn(int column) {
        return new ConfigException(source, line, column, keyPath, problem, hint);
    }

    private static String format(String source, int line, int column, String keyPath, String problem, String hint) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
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

    /** 1-based column of the offending value (or key), 0 when unknown. */
    public int column() {
        return column;
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
