package org.sigbridge.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Run-wide event counts that are not per message: frames handed to sockets, send failures, early closes. */
public final class RunCounters {
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder closedEarly = new LongAdder();
    private final Map<String, Long> closeReasons = new ConcurrentHashMap<>();
    private final Map<String, Long> otherFrames = new ConcurrentHashMap<>();
    private static final int OTHER_KINDS = 8;

    void sent() {
        framesSent.increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void closedEarly(int statusCode, String reason) {
        closedEarly.increment();
        closeReasons.merge(statusCode + " " + reason, 1L, Long::sum);
    }

    /** A frame without a probe: kept by its first 160 characters, at most {@value #OTHER_KINDS} kinds. */
    void other(String frame) {
        String key = frame.length() > 160 ? frame.substring(0, 160) + "…" : frame;
        if (otherFrames.containsKey(key) || otherFrames.size() < OTHER_KINDS) {
            otherFrames.merge(key, 1L, Long::sum);
        }
    }

    /** Frames that carried no probe (errors, presence), by text, with counts. */
    public Map<String, Long> otherFrames() {
        return Map.copyOf(otherFrames);
    }

    public long framesSent() {
        return framesSent.sum();
    }

    public long sendFailures() {
        return sendFailures.sum();
    }

    public long closedEarly() {
        return closedEarly.sum();
    }

    /** Close status and reason of sockets the server closed, with counts; empty in a clean run. */
    public Map<String, Long> closeReasons() {
        return Map.copyOf(closeReasons);
    }
}
