package org.sigbridge.bench.xmpp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Pins a peer the testkit started (which does not take a CPU list) by finding this JVM's descendant whose
 * command line names the peer's private directory, then {@code taskset -a -p}. Best effort.
 */
public final class PeerPinning {
    private PeerPinning() {
    }

    /** @return the peer's pid, or 0 if it was not found */
    public static long pin(Path peerDirectory, String cpus) throws InterruptedException {
        Optional<ProcessHandle> peer = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(peerDirectory.toString())).orElse(false))
                .findFirst();
        if (peer.isEmpty()) {
            return 0;
        }
        long pid = peer.get().pid();
        if (!cpus.isEmpty()) {
            try {
                new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no taskset: leave it unpinned
            }
        }
        return pid;
    }
}
