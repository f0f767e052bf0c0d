package org.sigbridge.dist.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable shell blocks of a quick-start page ({@code docs/quickstart-*.md}): every {@code ```sh} fence that
 * directly follows an HTML comment marker, in page order. Markers:
 * <ul>
 *   <li>{@code <!-- quickstart-test: run -->}: the block runs to completion and must exit 0;</li>
 *   <li>{@code <!-- quickstart-test: start, ready when the output has "TEXT" -->}: the block keeps running (a
 *       server in its own terminal); it is ready when a line of its output contains TEXT;</li>
 *   <li>{@code <!-- quickstart-test: start, ready when port VAR accepts -->}: as above, ready when 127.0.0.1 on
 *       the port in environment variable VAR accepts a TCP connection.</li>
 * </ul>
 * Fences without a marker are prose for the reader (package installs, a second instance) and are not run. The
 * text of a block is taken byte for byte; pure parsing, no I/O besides reading the page.
 */
record QuickstartPage(Path file, List<Block> blocks) {

    /** One marked block: how it runs, its readiness condition (for {@code start}), its script and its line. */
    record Block(Kind kind, Optional<String> readyText, Optional<String> readyPortVariable, String script, int line) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + " block at line " + line + ":\n" + script;
        }
    }

    enum Kind { RUN, START }

    private static final Pattern MARKER = Pattern.compile(
            "<!-- quickstart-test: (run|start, ready when (?:the output has \"([^\"]+)\"|port ([A-Z_]+) accepts)) -->");

    static QuickstartPage read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i).strip());
            if (!m.matches()) {
                if (lines.get(i).strip().startsWith("<!-- quickstart-test")) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": unreadable marker: " + lines.get(i));
                }
                continue;
            }
            if (i + 1 >= lines.size() || !lines.get(i + 1).equals("```sh")) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": a marker must be followed by a ```sh fence");
            }
            StringBuilder script = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).equals("```"); j++) {
                script.append(lines.get(j)).append('\n');
            }
            if (j == lines.size()) {
                throw new IllegalArgumentException(file + ":" + (i + 2) + ": unclosed fence");
            }
            Kind kind = m.group(1).equals("run") ? Kind.RUN : Kind.START;
            blocks.add(new Block(kind, Optional.ofNullable(m.group(2)), Optional.ofNullable(m.group(3)),
                    script.toString(), i + 3));
            i = j;
        }
        return new QuickstartPage(file, List.copyOf(blocks));
    }
}
