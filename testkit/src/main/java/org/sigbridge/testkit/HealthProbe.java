package org.sigbridge.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asks a health endpoint ({@code /healthz}) again and again on a thread of its own while a test floods the bridge, and
 * records how long each answer took: the evidence that the bridge stays responsive under load (docs/reliability.md,
 * "Load limits"). One request at a time, a short pause between them; each request times out after 5 s (counted as not
 * answered). Tests assert that it answered during the flood ({@link #answered()}) and print the latencies; they do not
 * assert a latency, which depends on the machine.
 *
 * <p>{@link #close()} stops the thread and waits for it. Thread-safe.
 */
public final class HealthProbe implements AutoCloseable {

    /** What the probe saw: answers with status 200, others, and the latencies of the 200s in milliseconds. */
    public record Summary(int ok, int failed, double p50Millis, double p99Millis, double maxMillis) {
        /** {@code ok / failed, p50 / p99 / max ms}. */
        @Override
        public String toString() {
            return String.format("%d answered 200 (%d not); p50 %.1f ms, p99 %.1f ms, max %.1f ms", ok, failed, p50Millis,
                    p99Millis, maxMillis);
        }
    }

    private final URI uri;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Double> latencies = new ArrayList<>();
    private final Thread thread;
    private int failed;
    private volatile boolean running = true;

    private HealthProbe(URI uri) {
        this.uri = uri;
        this.thread = new Thread(this::run, "health-probe");
        this.thread.setDaemon(true);
    }

    /** Starts probing {@code uri} (e.g. {@code http://127.0.0.1:PORT/healthz}). */
    public static HealthProbe start(URI uri) {
        HealthProbe probe = new HealthProbe(uri);
        probe.thread.start();
        return probe;
    }

    private void run() {
        while (running) {
            long t0 = System.nanoTime();
            int status;
            try {
                status = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            synchronized (this) {
                if (status == 200) {
                    latencies.add(millis);
                } else {
                    failed++;
                }
                notifyAll();
            }
            try {
                Thread.sleep(10); // a pause between probes, not a wait for an event: the probe's own pacing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Answers with status 200 so far. */
    public synchronized int answered() {
        return latencies.size();
    }

    /** What it saw so far. */
    public synchronized Summary summary() {
        return summarySince(0);
    }

    /** What it saw from its {@code from}-th answer on (an {@link #answered()} taken when a flood began). */
    public synchronized Summary summarySince(int from) {
        List<Double> sorted = new ArrayList<>(latencies.subList(Math.min(from, latencies.size()), latencies.size()));
        Collections.sort(sorted);
        return new Summary(sorted.size(), failed, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
