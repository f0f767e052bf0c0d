package org.sigbridge.testkit.soak;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * One sample of a soak (docs/reliability.md, "Soak"): a JVM's heap after a full GC, resident set, live threads and
 * open file descriptors ({@link ProcessGauge}: this JVM, whose figures include the test's own clients, or the
 * bridge's own process), and the bridge's open connections and channels as its metrics and admin API report them.
 * Moved here from web-classic's test sources so that the web-classic soak and the all-dialect soak of {@code dist}
 * write the same CSV and plot.
 *
 * @param seconds     since the soak started
 * @param heapMb      heap used after {@code System.gc()}, MiB
 * @param rssMb       resident set size, MiB
 * @param threads     live threads
 * @param fds         open file descriptors
 * @param connections open browser connections ({@code sigbridge_web_connections}, all dialects)
 * @param channels    open channels ({@code GET /admin/channels})
 * @param envelopes   envelopes the clients received so far
 */
public record SoakSample(double seconds, double heapMb, double rssMb, int threads, int fds, int connections, int channels, long envelopes) {

    public static final String CSV_HEADER = "seconds,heap_after_gc_mb,rss_mb,threads,fds,connections,channels,envelopes";

    /** Takes a sample of this JVM (runs a full GC first). */
    public static SoakSample take(double seconds, int connections, int channels, long envelopes) throws IOException {
        return take(ProcessGauge.self(), seconds, connections, channels, envelopes);
    }

    /** Takes a sample of the process {@code gauge} reads (runs a full GC in it first). */
    public static SoakSample take(ProcessGauge gauge, double seconds, int connections, int channels, long envelopes) throws IOException {
        double heap = gauge.heapAfterGcMb();
        return new SoakSample(seconds, heap, gauge.rssMb(), gauge.threads(), gauge.fds(), connections, channels, envelopes);
    }

    /** This sample as one CSV line, in {@link #CSV_HEADER}'s order. */
    public String csv() {
        return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%d,%d,%d,%d,%d", seconds, heapMb, rssMb, threads, fds, connections, channels,
                envelopes);
    }

    /** The samples as an SVG of four small line charts (heap after GC, RSS, threads, file descriptors) over time. */
    public static String svg(List<SoakSample> samples, String title) {
        int w = 760;
        int panelH = 120;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(w).append("' height='").append(40 + 4 * (panelH + 30))
                .append("' font-family='sans-serif' font-size='11'>\n");
        sb.append("<rect width='100%' height='100%' fill='white'/>\n");
        sb.append("<text x='10' y='20' font-size='13'>").append(title.replace("&", "&amp;").replace("<", "&lt;")).append("</text>\n");
        String[] names = {"heap after GC (MiB)", "RSS (MiB)", "threads", "file descriptors"};
        double maxT = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).seconds());
        for (int p = 0; p < 4; p++) {
            int top = 40 + p * (panelH + 30);
            double max = 1;
            for (SoakSample s : samples) {
                max = Math.max(max, value(s, p));
            }
            max *= 1.1;
            sb.append("<text x='60' y='").append(top - 4).append("'>").append(names[p]).append(String.format(Locale.ROOT,
                    " (0 … %.0f)", max)).append("</text>\n");
            sb.append("<rect x='60' y='").append(top).append("' width='").append(w - 80).append("' height='").append(panelH)
                    .append("' fill='none' stroke='#999'/>\n");
            sb.append("<polyline fill='none' stroke='#1f6feb' stroke-width='1.5' points='");
            for (SoakSample s : samples) {
                double x = 60 + (w - 80) * s.seconds() / maxT;
                double y = top + panelH - panelH * value(s, p) / max;
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("'/>\n");
        }
        sb.append(String.format(Locale.ROOT, "<text x='60' y='%d'>0 s</text><text x='%d' y='%d' text-anchor='end'>%.0f s</text>\n",
                40 + 4 * (panelH + 30) - 14, w - 20, 40 + 4 * (panelH + 30) - 14, maxT));
        return sb.append("</svg>\n").toString();
    }

    private static double value(SoakSample s, int panel) {
        return switch (panel) {
            case 0 -> s.heapMb();
            case 1 -> s.rssMb();
            case 2 -> s.threads();
            default -> s.fds();
        };
    }
}
