package org.sigbridge.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's unified GC log ({@code -Xlog:gc*:file=...:uptime,level,tags}, JDK 17) says of its pauses: count, total
 * and longest young and full pause, what young collections promoted into the old generation (its growth across each
 * young pause, Serial's {@code Tenured} or Parallel's {@code ParOldGen} line; G1 reports regions and is not counted),
 * and the log's last uptime. Used by {@code --cluster-gc-log} (docs/benchmarks.md#s12-tail).
 *
 * @param collector        the collector's name from the log's {@code Using ...} line, or {@code ?}
 * @param uptimeS          the last uptime the log shows (the JVM's life up to its exit), seconds
 * @param youngCount       young pauses
 * @param youngTotalMs     their total, ms
 * @param youngMaxMs       the longest, ms
 * @param fullCount        full pauses
 * @param fullTotalMs      their total, ms
 * @param fullMaxMs        the longest, ms
 * @param promotedKb       old-generation growth summed over young pauses, KiB
 * @param survivorAfterKb  the young generation's occupancy after young pauses, mean, KiB
 * @param lastGcId         the highest collection number ({@code GC(n)}) the log shows, {@code -1} for none
 * @param copiedKb         what young pauses copied, KiB: the young generation's occupancy after each (what survived
 *                         into a survivor space) plus what it promoted; the work of a young pause, whatever the load
 */
public record GcLogDigest(String collector, double uptimeS, int youngCount, double youngTotalMs, double youngMaxMs,
                          int fullCount, double fullTotalMs, double fullMaxMs, long promotedKb, long survivorAfterKb,
                          int lastGcId, long copiedKb) {

    private static final Pattern UPTIME = Pattern.compile("^\\[([\\d.]+)s\\]");
    private static final Pattern USING = Pattern.compile("\\[gc\\s*\\] Using (\\S+)");
    private static final Pattern PAUSE = Pattern.compile("\\[gc\\s*\\] GC\\((\\d+)\\) Pause (Young|Full)\\b.* ([\\d.]+)ms$");
    private static final Pattern OLD = Pattern.compile("GC\\((\\d+)\\) (?:Tenured|ParOldGen|PSOldGen): (\\d+)K\\(\\d+K\\)->(\\d+)K");
    private static final Pattern YOUNG = Pattern.compile("GC\\((\\d+)\\) (?:DefNew|PSYoungGen): \\d+K\\(\\d+K\\)->(\\d+)K");

    private static final Pattern GC_ID = Pattern.compile("\\bGC\\((\\d+)\\)");

    /** Reads one log. */
    public static GcLogDigest read(Path log) throws IOException {
        return read(log, -1);
    }

    /**
     * Reads the collections of one log numbered above {@code afterGcId} (the log is written line by line as the JVM
     * runs: a digest before and one after a run tell what the run cost).
     */
    public static GcLogDigest read(Path log, int afterGcId) throws IOException {
        String collector = "?";
        double uptime = 0;
        int youngCount = 0;
        int fullCount = 0;
        double youngTotal = 0;
        double youngMax = 0;
        double fullTotal = 0;
        double fullMax = 0;
        long promoted = 0;
        long survivorSum = 0;
        int survivorCount = 0;
        long copied = 0;
        long oldGrowth = 0; // of the GC whose lines are being read (its heap lines come before its pause line)
        long youngAfter = -1;
        int lastId = afterGcId;
        for (String line : Files.readAllLines(log)) {
            Matcher id = GC_ID.matcher(line);
            if (id.find()) {
                int n = Integer.parseInt(id.group(1));
                lastId = Math.max(lastId, n);
                if (n <= afterGcId) {
                    continue;
                }
            }
            Matcher m = UPTIME.matcher(line);
            if (m.find()) {
                uptime = Double.parseDouble(m.group(1));
            }
            if ((m = USING.matcher(line)).find()) {
                collector = m.group(1);
            } else if ((m = OLD.matcher(line)).find()) {
                oldGrowth = Long.parseLong(m.group(3)) - Long.parseLong(m.group(2));
            } else if ((m = YOUNG.matcher(line)).find()) {
                youngAfter = Long.parseLong(m.group(2));
            } else if ((m = PAUSE.matcher(line)).find()) {
                double ms = Double.parseDouble(m.group(3));
                if (m.group(2).equals("Young")) {
                    youngCount++;
                    youngTotal += ms;
                    youngMax = Math.max(youngMax, ms);
                    promoted += Math.max(0, oldGrowth);
                    if (youngAfter >= 0) {
                        survivorSum += youngAfter;
                        survivorCount++;
                        copied += youngAfter;
                    }
                    copied += Math.max(0, oldGrowth);
                } else {
                    fullCount++;
                    fullTotal += ms;
                    fullMax = Math.max(fullMax, ms);
                }
                oldGrowth = 0;
                youngAfter = -1;
            }
        }
        return new GcLogDigest(collector, uptime, youngCount, youngTotal, youngMax, fullCount, fullTotal, fullMax, promoted,
                survivorCount == 0 ? 0 : survivorSum / survivorCount, lastId, copied);
    }

    /** The header of {@link #row}'s Markdown table. */
    public static String header() {
        return "| log | collector | life s | young pauses | young total ms | young max ms | full pauses | full total ms "
                + "| full max ms | promoted MiB | young after GC, mean KiB | copied by young pauses MiB |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    /** One Markdown table row, named {@code name}. */
    public String row(String name) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %d | %.1f |%n", name,
                collector, uptimeS, youngCount, youngTotalMs, youngMaxMs, fullCount, fullTotalMs, fullMaxMs,
                promotedKb / 1024.0, survivorAfterKb, copiedKb / 1024.0);
    }
}
