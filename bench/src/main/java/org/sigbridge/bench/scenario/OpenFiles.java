package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The open-file limit an idle-memory point needs: each idle connection is a descriptor in the server and one in the
 * generator, and each process has its own limit ({@code ulimit -n}; {@code scripts/bench} raises the soft limit to
 * the hard one). A point above it would measure refused connections, so it stops the run before it starts, saying
 * how to raise the limit (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14"). Local ports are no
 * limit: the generator spreads its clients over loopback source addresses ({@code SourceAddresses}).
 */
final class OpenFiles {

    /** Descriptors a JVM or Node server holds besides its connections (jars, selectors, logs, pipes). */
    static final int MARGIN = 200;

    private OpenFiles() {
    }

    /** @throws IllegalArgumentException when {@code connections} do not fit this process's soft limit */
    static void requireFor(int connections, String option) {
        OptionalLong limit = softLimit();
        if (limit.isPresent() && connections + MARGIN > limit.getAsLong()) {
            throw new IllegalArgumentException(option + " asks for " + connections + " idle connections, but the open-file limit"
                    + " is " + limit.getAsLong() + " (server and generator each need one descriptor per connection, plus "
                    + MARGIN + "): raise the hard limit (as root with CAP_SYS_RESOURCE: `ulimit -Hn 120000` in the shell"
                    + " that runs scripts/bench, which raises the soft limit to it, or `prlimit --nofile=120000:120000 --pid"
                    + " PID` on that shell; `nofile` in /etc/security/limits.conf, LimitNOFILE= for a service,"
                    + " `docker run --ulimit nofile=120000:120000` for a container) or lower the point");
        }
    }

    /** The soft "Max open files" of this process, from {@code /proc/self/limits}; empty where that file is absent. */
    static OptionalLong softLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
