package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.report.JsonLine;
import org.sigbridge.bench.report.RunFormat;
import org.sigbridge.bench.report.TextTable;

/**
 * Every measurement of a runner invocation as one JSON line in {@code results.jsonl}, plus a readable
 * line on stdout as it happens. Each line carries the 1-minute load average so a noisy run can be spotted.
 */
public final class ResultLog {
    private final Path file;

    public ResultLog(Path file) {
        this.file = file;
    }

    public void run(String scenario, String server, int rep, RunResult result) {
        append(new JsonLine().put("scenario", scenario).put("server", server).put("rep", rep)
                .put("loadavg1", MachineInfo.loadAverage1()).raw("result", RunFormat.json(result)).toString());
        String row = new TextTable(RunFormat.COLUMNS).row(RunFormat.row(result)).render().lines().skip(1)
                .findFirst().orElse("");
        System.out.println("  " + scenario + " " + server + " #" + rep + ": " + row.trim().replaceAll(" +", " ")
                + (result.generatorBound() ? "  [generator-bound]" : ""));
    }

    public void line(JsonLine json) {
        append(json.toString());
        System.out.println("  " + json);
    }

    private void append(String json) {
        try {
            Files.writeString(file, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
