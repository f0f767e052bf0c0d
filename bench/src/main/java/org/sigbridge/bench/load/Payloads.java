package org.sigbridge.bench.load;

/**
 * Padding that brings a publish frame to about the requested size: 600 bytes is a typical ICE candidate
 * message, 4 KiB a typical SDP offer. Frames grow by a few bytes as sequence numbers grow; the size is a
 * target, not exact.
 */
public final class Payloads {
    private Payloads() {
    }

    /** Filler for frames of about {@code frameBytes} in this dialect (never negative length). */
    public static String filler(WireDialect dialect, int frameBytes) {
        String bare = dialect.publishFrame("bench-000-0000", 0, new Probe(0, 100_000, System.nanoTime(), true).body(""));
        int missing = Math.max(0, frameBytes - bare.length());
        return "x".repeat(missing);
    }
}
