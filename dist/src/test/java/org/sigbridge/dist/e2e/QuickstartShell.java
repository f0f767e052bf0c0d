package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sigbridge.dist.SigbridgeProcess;

/**
 * Runs the marked blocks of a {@link QuickstartPage} as a reader would, one terminal each: {@code bash -euo
 * pipefail -c BLOCK} in the repository root with this process's environment plus the test's port and directory
 * variables. A {@code run} block must exit 0 within a minute; a {@code start} block must become ready (its
 * output line or its port) within {@link #READY} and keeps running until {@link #close()}, which sends SIGTERM
 * to it and every process it started (Prosody, Kamailio's children, the bridge's JVM), then kills what is left.
 * Used by the test thread only.
 */
final class QuickstartShell implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);

    private final Path root;
    private final Map<String, String> env;
    private final Deque<SigbridgeProcess> started = new ArrayDeque<>();

    QuickstartShell(Path root, Map<String, String> variables) {
        this.root = root;
        this.env = new HashMap<>(System.getenv());
        this.env.putAll(variables);
    }

    /** Runs every block of {@code page} in order; returns the started blocks' processes, in page order. */
    List<SigbridgeProcess> runAll(QuickstartPage page) throws Exception {
        for (QuickstartPage.Block block : page.blocks()) {
            run(block);
        }
        return List.copyOf(started);
    }

    private void run(QuickstartPage.Block block) throws Exception {
        SigbridgeProcess p = SigbridgeProcess.run(List.of("bash", "-euo", "pipefail", "-c", block.script()), env, root);
        if (block.kind() == QuickstartPage.Kind.RUN) {
            try (p) {
                assertEquals(0, p.awaitExit(RUN), block + "\nexited non-zero; output:\n" + String.join("\n", p.output()));
            }
            return;
        }
        started.addLast(p);
        if (block.readyText().isPresent()) {
            p.awaitLine(l -> l.contains(block.readyText().get()), READY);
        } else {
            awaitAccept(p, Integer.parseInt(env.get(block.readyPortVariable().orElseThrow())), block);
        }
    }

    private static void awaitAccept(SigbridgeProcess p, int port, QuickstartPage.Block block) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                // Not listening yet: the block's server is still starting. There is no event to wait on for a
                // foreign process's bind; poll with a short pause, bounded by READY.
                if (!ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new AssertionError(block + "\nnever accepted on 127.0.0.1:" + port + "; output:\n" + String.join("\n", p.output()));
    }

    /** Stops the started blocks, last first: SIGTERM to each process tree, then SIGKILL after 15 s. Idempotent. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            SigbridgeProcess p = started.removeLast();
            ProcessHandle.of(p.pid()).ifPresent(QuickstartShell::terminateTree);
            p.close();
        }
    }

    private static void terminateTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            } catch (ExecutionException | TimeoutException stillRunning) {
                h.destroyForcibly();
            }
        }
    }
}
