package org.sigbridge.testkit.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Node script that drives real clients for a test and reports what they see as JSON lines on its standard output,
 * one per observation, while the test answers it on its standard input (e.g. {@code go} once the test set up what the
 * script waits for, {@code killed} once it killed an instance). The script's side of that exchange is
 * {@code web-socketio/npm/test-driver.js}.
 *
 * <p>{@link #run} runs one script to its end on the calling thread: every line that starts with {@code {} is handed,
 * parsed, to the test's {@link LineHandler} in order, as it arrives; the script must exit 0 within the time limit. A
 * failure — a handler's assertion, the time limit, a non-zero exit — ends the script and carries everything it printed,
 * its standard error included ({@link LineClient}: the two are merged).
 */
public final class NodeDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a script that printed its last line may take to exit. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private NodeDriver() {
    }

    /** What the test does with one JSON line of the script: assert, act, answer it ({@link LineClient#writeLine}). */
    @FunctionalInterface
    public interface LineHandler {
        void handle(JsonNode line, LineClient script) throws Exception;
    }

    /**
     * Runs {@code node <script> <args…>} in {@code workDir} to its end.
     *
     * @param timeout how long the script may run in all (longer than the script's own limit, so that its own
     *                {@code {"fail": …}} line, which says where it stood, comes first)
     * @return every line it printed, standard error included, in order
     * @throws AssertionError with its whole output when the time limit passes or it exits with another code than 0;
     *                        whatever {@code handler} throws (the script is then stopped)
     */
    public static List<String> run(Path workDir, Duration timeout, LineHandler handler, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (LineClient node = LineClient.start(script, command, Map.of(), workDir)) {
            List<String> output = new ArrayList<>();
            while (true) {
                Optional<String> line = node.nextLine(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (line.isEmpty()) {
                    break;
                }
                output.add(line.get());
                if (line.get().startsWith("{")) {
                    try {
                        handler.handle(JSON.readTree(line.get()), node);
                    } catch (Exception | AssertionError e) {
                        throw new AssertionError(e.getMessage() + "\n(at " + script + "'s line " + line.get() + "; its output so far:\n"
                                + node.output() + ")", e);
                    }
                }
            }
            int code = node.awaitExit(EXIT_WAIT);
            if (code != 0) {
                throw new AssertionError(script + " " + String.join(" ", args) + " exited with " + code + "; output:\n" + node.output());
            }
            return output;
        }
    }
}
