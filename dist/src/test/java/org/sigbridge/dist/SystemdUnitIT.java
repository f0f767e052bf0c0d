package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dist/systemd/sigbridge.service}'s own lines, run the way systemd runs them: {@code Environment=}
 * assignments (quoted or not), {@code ExecStart=} with {@code $VAR} split into words and {@code ${VAR}}
 * kept whole (systemd.service(5), "Command lines"), {@code ExecReload=} with {@code $MAINPID}, and the stop
 * by {@code KillSignal=} ending in a {@code SuccessExitStatus=}. The install paths are moved into a temp
 * directory laid out as the unit's install comment says; no systemd runs here.
 */
class SystemdUnitIT {

    private static final Path UNIT = SigbridgeProcess.root().resolve("dist/systemd/sigbridge.service");

    @Test
    void theUnitStartsTheJarReloadsRoutesOnReloadAndStopsWithASuccessStatus(@TempDir Path root) throws Exception {
        Map<String, List<String>> unit = parse(Files.readAllLines(UNIT));
        Path opt = Files.createDirectories(root.resolve("opt/sigbridge"));
        Path etc = Files.createDirectories(root.resolve("etc/sigbridge"));
        Files.copy(SigbridgeProcess.jar(), opt.resolve("sigbridge.jar"));
        copyTree(SigbridgeProcess.root().resolve("conf"), etc);

        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        for (String assignment : unit.get("Environment")) {
            for (String word : words(assignment)) {
                int eq = word.indexOf('=');
                assertTrue(eq > 0, "Environment= entry without NAME=value: " + word);
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        int port = SigbridgeProcess.freeTcpPort();
        env.put("SIGBRIDGE_WEB_PORT", Integer.toString(port)); // what EnvironmentFile= would add

        List<String> start = expand(single(unit, "ExecStart"), env, root);
        assertEquals("-Xms64m", start.get(1), "JAVA_OPTS splits into separate JVM options: " + start);
        try (SigbridgeProcess p = SigbridgeProcess.run(start, env, root.resolve(single(unit, "WorkingDirectory").substring(1)))) {
            p.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            assertTrue(p.output().stream().anyMatch(l -> l.contains("127.0.0.1:" + port)), p.output().toString());

            env.put("MAINPID", Long.toString(p.pid()));
            Process reload = new ProcessBuilder(expand(single(unit, "ExecReload"), env, root)).inheritIO().start();
            assertEquals(0, reload.waitFor());
            p.awaitLine(l -> l.contains("routes reloaded"), Duration.ofSeconds(20));

            assertEquals("SIGTERM", single(unit, "KillSignal"));
            int status = p.terminate(Duration.ofSeconds(Long.parseLong(single(unit, "TimeoutStopSec"))));
            assertTrue(words(single(unit, "SuccessExitStatus")).contains(Integer.toString(status)), "exit status " + status);
        }
    }

    /** Key to values, in order, for every {@code Key=value} line outside comments. */
    private static Map<String, List<String>> parse(List<String> lines) {
        Map<String, List<String>> out = new HashMap<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";") || t.startsWith("[")) {
                continue;
            }
            int eq = t.indexOf('=');
            out.computeIfAbsent(t.substring(0, eq), k -> new ArrayList<>()).add(t.substring(eq + 1));
        }
        return out;
    }

    private static String single(Map<String, List<String>> unit, String key) {
        List<String> values = unit.getOrDefault(key, List.of());
        assertEquals(1, values.size(), key + "= should appear once: " + values);
        return values.get(0);
    }

    /** systemd's word splitting: white space separates words, double quotes group them. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(text);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    /** Expands a command line: {@code $NAME} into words, {@code ${NAME}} as one word; install paths moved under {@code root}. */
    private static List<String> expand(String commandLine, Map<String, String> env, Path root) {
        List<String> out = new ArrayList<>();
        for (String word : words(commandLine)) {
            if (word.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
                out.addAll(words(env.getOrDefault(word.substring(1), "")));
                continue;
            }
            Matcher braced = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(word);
            String w = braced.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), "")))
                    .replace("/opt/sigbridge", root.resolve("opt/sigbridge").toString())
                    .replace("/etc/sigbridge", root.resolve("etc/sigbridge").toString());
            out.add(w.equals("/usr/bin/java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : w);
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
