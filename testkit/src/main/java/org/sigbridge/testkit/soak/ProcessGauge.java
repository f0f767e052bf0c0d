package org.sigbridge.testkit.soak;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The process figures of a soak sample for one JVM on Linux: heap used after a full GC, resident set
 * ({@code VmRSS}), threads and open file descriptors from {@code /proc/<pid>}. For this JVM ({@link #self()}) the
 * GC is {@code System.gc()} and the heap is read from the memory bean; for another JVM ({@link #of(long)}, e.g. the
 * packaged jar the test started) the gauge attaches once (the JDK's attach API), starts that JVM's local management
 * agent and calls its memory bean over JMX, so the figures are that process's own and not the test's. The agent adds a
 * few threads and descriptors to the process once, when the gauge is made; make it before the baseline sample.
 *
 * <p>Called from the test's sampling thread; {@link #heapAfterGcMb()} blocks for the GC. {@link #close()} closes the
 * JMX connection (idempotent).
 */
public final class ProcessGauge implements AutoCloseable {

    private final long pid;
    private final MemoryMXBean memory;
    private final JMXConnector connector;

    private ProcessGauge(long pid, MemoryMXBean memory, JMXConnector connector) {
        this.pid = pid;
        this.memory = memory;
        this.connector = connector;
    }

    /** This JVM. */
    public static ProcessGauge self() {
        return new ProcessGauge(ProcessHandle.current().pid(), ManagementFactory.getMemoryMXBean(), null);
    }

    /** Another JVM of the same user, by process id: attaches and connects to its local management agent. */
    public static ProcessGauge of(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        return new ProcessGauge(pid, ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class), connector);
    }

    /** Heap used after a full GC, MiB. */
    public double heapAfterGcMb() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    /** Resident set size, MiB. */
    public double rssMb() throws IOException {
        return statusKb("VmRSS:") / 1024.0;
    }

    /** Live threads of the process (the kernel's count, JVM-internal threads included for another JVM). */
    public int threads() throws IOException {
        if (connector == null) {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        }
        return (int) statusKb("Threads:");
    }

    /** Open file descriptors. */
    public int fds() throws IOException {
        try (Stream<Path> s = Files.list(proc().resolve("fd"))) {
            return (int) s.count();
        }
    }

    private Path proc() {
        return Path.of("/proc", Long.toString(pid));
    }

    private long statusKb(String key) throws IOException {
        for (String line : Files.readAllLines(proc().resolve("status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + key + " in " + proc().resolve("status"));
    }

    @Override
    public void close() throws IOException {
        if (connector != null) {
            connector.close();
        }
    }
}
