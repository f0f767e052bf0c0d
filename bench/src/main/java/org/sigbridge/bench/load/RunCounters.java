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
