package org.sigbridge.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JDK Flight Recorder file of a server says limits it: the hottest methods (top frame of CPU
 * samples), the sigbridge methods the samples pass through (inclusive), monitors threads blocked on, and
 * the most allocated types. Reads the file once; not thread-safe.
 */
public final class JfrDigest {
    private final Map<String, Long> topFrames = new HashMap<>();
    private final Map<String, Long> sigbridgeInclusive = new HashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Long> monitorNanos = new HashMap<>();
    private final Map<String, Long> allocationBytes = new HashMap<>();
    private long samples;

    public static JfrDigest read(Path recording) throws IOException {
        JfrDigest digest = new JfrDigest();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                digest.accept(file.readEvent());
            }
        }
        return digest;
    }

    private void accept(RecordedEvent event) {
        String type = event.getEventType().getName();
        switch (type) {
            case "jdk.ExecutionSample" -> sample(event);
            case "jdk.JavaMonitorEnter" -> {
                RecordedClass monitor = event.getClass("monitorClass");
                monitorNanos.merge(monitor == null ? "?" : monitor.getName(), event.getDuration().toNanos(), Long::sum);
            }
            case "jdk.ObjectAllocationSample" -> {
                RecordedClass cls = event.getClass("objectClass");
                allocationBytes.merge(cls == null ? "?" : cls.getName(), event.getLong("weight"), Long::sum);
            }
            default -> {
            }
        }
    }

    private void sample(RecordedEvent event) {
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        topFrames.merge(name(frames.get(0)), 1L, Long::sum);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RecordedFrame frame : frames) {
            String n = name(frame);
            if (n.startsWith("org.sigbridge.") && seen.add(n)) {
                sigbridgeInclusive.merge(n, 1L, Long::sum);
            }
        }
        if (event.getThread("sampledThread") != null) {
            String thread = event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "-N"), 1L, Long::sum);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** A Markdown block: four short ranked lists. */
    public String markdown(int top) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "CPU samples: %d%n%n", samples));
        section(sb, "hottest methods (top frame, % of samples)", topFrames, top, samples, "%");
        section(sb, "sigbridge methods on the stack (inclusive, % of samples)", sigbridgeInclusive, top, samples, "%");
        section(sb, "threads (% of samples)", threads, top, samples, "%");
        section(sb, "blocked on monitors (total ms)", scale(monitorNanos, 1e-6), top, 0, "ms");
        section(sb, "allocation by type (sampled MB)", scale(allocationBytes, 1.0 / (1 << 20)), top, 0, "MB");
        return sb.toString();
    }

    private static Map<String, Long> scale(Map<String, Long> values, double factor) {
        Map<String, Long> out = new HashMap<>();
        values.forEach((k, v) -> out.put(k, Math.round(v * factor)));
        return out;
    }

    private static void section(StringBuilder sb, String title, Map<String, Long> values, int top, long total,
                                String unit) {
        sb.append("- ").append(title).append(": ");
        Map<String, Long> ranked = new LinkedHashMap<>();
        values.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> ranked.put(e.getKey(), e.getValue()));
        if (ranked.isEmpty()) {
            sb.append("none\n");
            return;
        }
        StringBuilder items = new StringBuilder();
        ranked.forEach((k, v) -> {
            if (items.length() > 0) {
                items.append("; ");
            }
            String short_ = k.replaceAll("^(org\\.eclipse\\.jetty|org\\.sigbridge|java\\.util\\.concurrent)\\.", "");
            items.append('`').append(short_).append("` ").append(total > 0
                    ? String.format(Locale.ROOT, "%.1f%%", 100.0 * v / total)
                    : v + " " + unit);
        });
        sb.append(items).append('\n');
    }
}
