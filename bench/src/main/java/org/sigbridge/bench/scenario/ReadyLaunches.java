package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The launches of the {@code ready} scenario, in column order (docs/benchmarks.md, "Start to ready"): this build as
 * {@code bin/sigbridge} starts it (its class-data sharing archive, and {@code -cp} or {@code -jar} as that tree's
 * launcher does: {@link SigbridgeServer#shippedLaunchArgs}), the {@code --compare-jar} build the same way (its own
 * tree's launcher) when an archive lies beside that jar (so the ratio column is an A/B of two builds as shipped), that jar bare, this jar
 * bare, then the floor: {@link #FLOOR_JETTY} (a Jetty 12 server answering HTTP, with its own archive made here by a
 * training run, the same JVM options) and {@link #FLOOR_JVM} (a plain {@code ServerSocket}: the JVM's own start).
 * Used by {@link ScenarioMain} on its thread; the training run blocks for up to a minute.
 */
final class ReadyLaunches {
    static final String COMPARED_CDS = "sigbridge-B-cds";
    static final String FLOOR_JETTY = "floor-jetty";
    static final String FLOOR_JVM = "floor-jvm";
    private static final Duration TRAINING = Duration.ofSeconds(120);

    private ReadyLaunches() {
    }

    /**
     * @param floorJar {@code bench/target/jetty-floor.jar}; no floor columns when it is missing
     * @param cpus     {@code taskset} CPUs of every launch, or empty: the runner's own affinity (docs/benchmarks.md,
     *                 "Start to ready": scripts/bench pins the runner to the generator's CPUs)
     * @param counter  numbers the log files, shared with the other scenarios
     */
    static Map<String, Supplier<SigbridgeServer>> of(Path jar, String classpath, String compareJar, Path floorJar,
                                                     Path config, String cpus, Path out, int[] counter) {
        List<String> launch = SigbridgeServer.launchArgs(jar, classpath);
        Map<String, Supplier<SigbridgeServer>> launches = new LinkedHashMap<>();
        Path archive = jar.toAbsolutePath().resolveSibling("sigbridge.jsa");
        if (classpath.isEmpty() && Files.isRegularFile(archive)) {
            List<String> shipped = SigbridgeServer.shippedLaunchArgs(jar);
            launches.put(ScenarioMain.READY_CDS, () -> new SigbridgeServer(ScenarioMain.READY_CDS, shipped, config,
                    SigbridgeServer.cdsOptions(archive), cpus, out, "ready-cds-" + (++counter[0]) + ".log"));
        }
        if (!compareJar.isEmpty()) {
            Path other = Path.of(compareJar).toAbsolutePath();
            List<String> compareLaunch = SigbridgeServer.launchArgs(other, "");
            Path otherArchive = other.resolveSibling("sigbridge.jsa");
            if (Files.isRegularFile(otherArchive)) {
                List<String> otherShipped = SigbridgeServer.shippedLaunchArgs(other);
                launches.put(COMPARED_CDS, () -> new SigbridgeServer(COMPARED_CDS, otherShipped, config,
                        SigbridgeServer.cdsOptions(otherArchive), cpus, out, "ready-B-cds-" + (++counter[0]) + ".log"));
            }
            launches.put(ScenarioMain.COMPARED, () -> new SigbridgeServer(ScenarioMain.COMPARED, compareLaunch, config,
                    List.of(), cpus, out, "ready-B-" + (++counter[0]) + ".log"));
        }
        launches.put("sigbridge", () -> new SigbridgeServer(launch, config, List.of(), cpus, out, "ready-" + (++counter[0]) + ".log"));
        if (Files.isRegularFile(floorJar)) {
            Path floorArchive = trainFloor(floorJar, out);
            List<String> jetty = List.of("-cp", floorJar.toAbsolutePath().toString(), "org.sigbridge.bench.floor.JettyFloor");
            launches.put(FLOOR_JETTY, () -> new SigbridgeServer(FLOOR_JETTY, jetty, config, SigbridgeServer.cdsOptions(floorArchive),
                    cpus, out, "ready-floor-jetty-" + (++counter[0]) + ".log"));
            List<String> socket = List.of("-cp", floorJar.toAbsolutePath().toString(), "org.sigbridge.bench.floor.SocketFloor");
            launches.put(FLOOR_JVM, () -> new SigbridgeServer(FLOOR_JVM, socket, config,
                    List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"), cpus, out, "ready-floor-jvm-" + (++counter[0]) + ".log"));
        } else {
            System.out.println("  ready: " + floorJar + " missing (mvn -pl bench -am package): no floor columns");
        }
        return launches;
    }

    /**
     * The Jetty floor's class-data sharing archive, made as the dist build makes sigbridge's: one run with
     * {@code -XX:ArchiveClassesAtExit} that answers one HTTP request (checked: 200 "ok") and exits.
     */
    private static Path trainFloor(Path floorJar, Path out) {
        Path archive = out.resolve("jetty-floor.jsa");
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of("java", "-XX:ArchiveClassesAtExit=" + archive, "-cp",
                floorJar.toAbsolutePath().toString(), "org.sigbridge.bench.floor.JettyFloor", "--exit-after-first-request"));
        try (ServerProcess p = ServerProcess.start(command, "", Map.of("SIGBRIDGE_WEB_PORT", Integer.toString(port)), out,
                out.resolve("ready-floor-training.log"))) {
            p.awaitAccept(port, TRAINING);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(TRAINING).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || !answer.body().equals("ok")) {
                throw new IllegalStateException("the Jetty floor answered " + answer.statusCode() + " " + answer.body());
            }
            if (!p.awaitExit(TRAINING.toMillis(), TimeUnit.MILLISECONDS) || !Files.isRegularFile(archive)) {
                throw new IllegalStateException("the Jetty floor's training run wrote no " + archive + "; see " + p.log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training the Jetty floor", e);
        }
        return archive;
    }
}
