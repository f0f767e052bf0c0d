package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SIP Swiss army knife {@code sipsak} (Debian package {@code sipsak}, 0.9.8) sending one raw, hand-written
 * SIP request in its "shoot" mode ({@code sipsak -vv -f FILE -s URI}) and reporting the final response.
 *
 * <p>The request text is written exactly as given (LF line ends; sipsak turns them into CRLF and adds its own
 * {@code Via}); {@link #message} builds a MESSAGE with a correct {@code Content-Length}. Stateless apart from its
 * scratch directory; blocks the caller for one transaction (sipsak's own retransmission timers bound it).
 * {@link #close()} deletes the request files.
 */
public final class Sipsak implements AutoCloseable {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(40);
    private static final Pattern FINAL = Pattern.compile("(?m)^\\s*SIP/2\\.0 (\\d{3}) ");
    private static final AtomicLong CALLS = new AtomicLong();

    private final ScratchDir dir = ScratchDir.create("sigbridge-sipsak-");

    /** What sipsak saw: its exit code (0 = a 200 came), the last status code it printed, and all its output. */
    public record Reply(int exitCode, int status, String output) {
        /** A readable summary for assertion messages. */
        public String describe() {
            return "sipsak exit " + exitCode + ", status " + status + ":\n" + output;
        }
    }

    /**
     * A MESSAGE request to {@code requestUri} from {@code fromUri} with {@code body} (UTF-8) of {@code contentType}
     * ({@code null}: no Content-Type header), with a fresh Call-ID and From tag.
     */
    public static String message(String requestUri, String fromUri, String contentType, String body) {
        long n = CALLS.incrementAndGet();
        StringBuilder request = new StringBuilder()
                .append("MESSAGE ").append(requestUri).append(" SIP/2.0\n")
                .append("From: <").append(fromUri).append(">;tag=sipsak-").append(n).append('\n')
                .append("To: <").append(requestUri).append(">\n")
                .append("Call-ID: sipsak-").append(ProcessHandle.current().pid()).append('-').append(n).append("@127.0.0.1\n")
                .append("CSeq: 1 MESSAGE\n")
                .append("Max-Forwards: 70\n");
        if (contentType != null) {
            request.append("Content-Type: ").append(contentType).append('\n');
        }
        return request.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\n\n")
                .append(body).toString();
    }

    /**
     * Sends {@code request} to {@code targetUri} (host and port of the next hop) over {@code transport} ({@code udp}
     * or {@code tcp}) and waits for the final response.
     *
     * @throws PeerException if sipsak cannot be run
     */
    public Reply send(String request, String targetUri, String transport) throws InterruptedException {
        Path file = dir.resolve("request-" + CALLS.incrementAndGet() + ".sip");
        try {
            Files.writeString(file, request, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("sipsak", "-vv", "-f", file.toString(), "-s", targetUri,
                "-H", "127.0.0.1"));
        if (!"udp".equals(transport)) {
            command.addAll(List.of("-E", transport));
        }
        try (LineClient sipsak = LineClient.start("sipsak", command, Map.of(), dir.path())) {
            int exit = sipsak.awaitExit(RUN_TIMEOUT);
            String output = sipsak.output();
            return new Reply(exit, lastStatus(output), output);
        }
    }

    private static int lastStatus(String output) {
        Matcher m = FINAL.matcher(output);
        int status = -1;
        while (m.find()) {
            status = Integer.parseInt(m.group(1));
        }
        return status;
    }

    /** Deletes the request files. Idempotent. */
    @Override
    public void close() {
        dir.close();
    }
}
