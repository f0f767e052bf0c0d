package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start on the default config does, as {@code bin/sigbridge} runs it (docs/operations.md, "Start-up"): it
 * maps the classes of the class-data sharing archive built with the jar, it loads none of the XMPP, SIP or Redis
 * stacks the default config does not use (nor the JVM metrics before a scrape asks for them), and an archive that does not fit (a jar moved or rebuilt, another JVM)
 * or is missing changes nothing but speed: the bridge starts, and the JVM prints no warning about it. Nothing
 * here is timed; the start-to-ready figure is in docs/benchmarks.md.
 */
class StartupIT {

    /** The class-data sharing options of {@code bin/sigbridge}. */
    private static List<String> cds(Path archive) {
        return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** Packages of the stacks that only an xmpp, sip or cluster section needs: Smack, JAIN-SIP, Lettuce (Netty, Reactor). */
    private static final List<String> UNUSED_STACKS = List.of("org.jivesoftware.", "org.jxmpp.", "gov.nist.", "javax.sip.",
            "io.lettuce.", "io.netty.", "reactor.core.");

    @Test
    void theDefaultConfigStartsFromTheArchiveBuiltWithTheJarAndLoadsNoXmppSipOrRedisStack(@TempDir Path dir) throws Exception {
        Path archive = SigbridgeProcess.jar().resolveSibling("sigbridge.jsa");
        assertTrue(Files.isRegularFile(archive), archive + " missing: the dist build makes it at package (exec-maven-plugin "
                + "execution cds-archive; not with -Dsigbridge.cds.skip)");
        Path classes = dir.resolve("classes.log");
        List<String> options = new ArrayList<>(cds(archive));
        options.add("-Xlog:class+load=info:file=" + classes);
        List<String> output = exitWhenReadyAsShipped(options);

        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.sigbridge.web.WebAdapter ")), "the web adapter started: " + output);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.sigbridge.web.WebAdapter source: shared objects file (top)")),
                "the web adapter's classes came from the archive: " + loaded.stream().filter(l -> l.contains("WebAdapter ")).toList());
        for (String stack : UNUSED_STACKS) {
            List<String> found = loaded.stream().filter(l -> l.contains("] " + stack)).limit(3).toList();
            assertEquals(List.of(), found, "the default config loaded " + stack + "*");
        }
        // The JVM metrics (and the platform MBean server they bring) wait for the first scrape of /metrics.
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("] io.prometheus.metrics.instrumentation.jvm.")).limit(3).toList(),
                "JVM metrics registered before the first scrape");
        // Nor does Jetty create the platform MBean server at start (JettyCacheLineHint).
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("] javax.management.MBeanServerFactory ")).toList(),
                "the platform MBean server was created at start");
        // The shipped conf/logback.xml is applied without logback's XML configurator (ShippedLoggingConfigurator).
        // (ConsoleAppender's target and the exception logback's start-up declares live in joran.spi: those few load.)
        for (String xml : List.of("ch.qos.logback.classic.joran.", "ch.qos.logback.core.joran.action.", "ch.qos.logback.core.model.",
                "com.sun.org.apache.xerces.")) {
            assertEquals(List.of(), loaded.stream().filter(l -> l.contains("] " + xml)).limit(3).toList(),
                    "logback's XML configurator read the shipped conf/logback.xml (" + xml + "*)");
        }
        assertTrue(output.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Main           ready in \\d+ ms.*")),
                "the shipped TEXT format: " + output);
    }

    @Test
    void anOperatorsOwnLogbackFileIsReadAsBefore(@TempDir Path dir) throws Exception {
        // A copy of the shipped file with another pattern: anything but the shipped bytes goes to logback's XML reader.
        Path own = Files.writeString(dir.resolve("logback.xml"), Files.readString(SigbridgeProcess.root().resolve("conf/logback.xml"))
                .replace("<pattern>%d{HH:mm:ss.SSS} ", "<pattern>OWN %d{HH:mm:ss.SSS} "));
        List<String> output = exitWhenReady(List.of("-Dlogback.configurationFile=" + own));
        assertTrue(output.stream().anyMatch(l -> l.startsWith("OWN ") && l.contains("ready in")), "the operator's pattern: " + output);
    }

    @Test
    void anArchiveThatDoesNotFitTheJarOrIsMissingOnlyCostsTime(@TempDir Path dir) throws Exception {
        // A copy of the jar at another path: the archive records the jar's path, size and time, so the JVM refuses it.
        Path moved = Files.copy(SigbridgeProcess.jar(), dir.resolve("sigbridge.jar"));
        Path archive = Files.copy(SigbridgeProcess.jar().resolveSibling("sigbridge.jsa"), dir.resolve("sigbridge.jsa"));
        List<String> stale = exitWhenReady(cds(archive), moved);
        assertTrue(stale.stream().noneMatch(l -> l.contains("warning") || l.contains("cds")), "no warning: " + stale);

        List<String> missing = exitWhenReady(cds(dir.resolve("nothing-here.jsa")), SigbridgeProcess.jar());
        assertTrue(missing.stream().noneMatch(l -> l.contains("warning") || l.contains("cds")), "no warning: " + missing);
    }

    private static List<String> exitWhenReady(List<String> options) throws Exception {
        return exitWhenReady(options, SigbridgeProcess.jar());
    }

    /** As {@link #exitWhenReady(List)}, launched as bin/sigbridge launches it ({@code -cp JAR org.sigbridge.launch.Main}). */
    private static List<String> exitWhenReadyAsShipped(List<String> options) throws Exception {
        try (SigbridgeProcess p = SigbridgeProcess.startAsShipped(SigbridgeProcess.jar(), Map.of("SIGBRIDGE_WEB_PORT", "0"), options,
                "--exit-when-ready")) {
            return cleanExit(p);
        }
    }

    /** Runs {@code --exit-when-ready} on the default config (a free port) and returns its output after a clean exit. */
    private static List<String> exitWhenReady(List<String> options, Path jar) throws Exception {
        try (SigbridgeProcess p = SigbridgeProcess.start(jar, Map.of("SIGBRIDGE_WEB_PORT", "0"), options, "--exit-when-ready")) {
            return cleanExit(p);
        }
    }

    private static List<String> cleanExit(SigbridgeProcess p) throws Exception {
        assertEquals(0, p.awaitExit(SigbridgeProcess.START), "exit code; output: " + p.output());
        List<String> output = p.output();
        assertTrue(output.stream().anyMatch(l -> l.contains("ready in")), output.toString());
        assertTrue(output.stream().anyMatch(l -> l.contains("stopped")), output.toString());
        return output;
    }
}
