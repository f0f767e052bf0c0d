package org.sigbridge.web;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.spi.ErrorCode;

/**
 * The web adapter's counters, for metrics, logs and tests. Monotonic; thread-safe.
 */
public final class WebStats {

    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder writeBatches = new LongAdder();
    private final LongAdder badFrames = new LongAdder();
    private final LongAdder ignoredFrames = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder slowConsumers = new LongAdder();
    private final LongAdder xhrPosts = new LongAdder();
    private final LongAdder xhrPolls = new LongAdder();
    private final LongAdder xhrLost = new LongAdder();
    private final LongAdder xhrPollsNotHeld = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);
    private final Map<UpgradeRefusal, LongAdder> refusals = new EnumMap<>(UpgradeRefusal.class);
    private final Map<Checkpoint, LongAdder> checkpoints = new EnumMap<>(Checkpoint.class);

    /**
     * What happened to seed-dialect checkpoints (docs/design.md §3.8): {@code written} when a seed socket with a sender
     * id closed, {@code recovered} / {@code not_recovered} when a socket claimed one and the gap was (not) replayed (also
     * {@code not_recovered}: a claim that could not reach the cluster and found none on this instance), {@code unshared}
     * when a write or a claim could not reach the cluster (docs/cluster.md §2).
     */
    public enum Checkpoint {
        WRITTEN("written"), RECOVERED("recovered"), NOT_RECOVERED("not_recovered"), UNSHARED("unshared");

        private final String label;

        Checkpoint(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public WebStats() {
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, new LongAdder()); // filled once, read-only afterwards: safe to share
        }
        for (UpgradeRefusal reason : UpgradeRefusal.values()) {
            refusals.put(reason, new LongAdder());
        }
        for (Checkpoint event : Checkpoint.values()) {
            checkpoints.put(event, new LongAdder());
        }
    }

    /** A seed-dialect checkpoint written or claimed. */
    public void countCheckpoint(Checkpoint event) {
        checkpoints.get(event).increment();
    }

    /** Seed-dialect checkpoints, by what happened to them. */
    public long checkpoints(Checkpoint event) {
        return checkpoints.get(event).sum();
    }

    /** An error frame or error response sent to a client. */
    public void countError(ErrorCode code) {
        errors.get(code).increment();
    }

    /** Error frames and responses sent, by code. */
    public long errors(ErrorCode code) {
        return errors.get(code).sum();
    }

    public void countConnectionOpened() {
        connectionsOpened.increment();
    }

    /** An upgrade refused (or a socket closed at once) for {@code reason}; also counted in {@link #connectionsRefused}. */
    public void countConnectionRefused(UpgradeRefusal reason) {
        connectionsRefused.increment();
        refusals.get(reason).increment();
    }

    public void countFrameIn() {
        framesIn.increment();
    }

    public void countFramesOut(int n) {
        framesOut.add(n);
    }

    /** Text frames handed to the network together (one write when they fit Jetty's output buffer). */
    public void countWriteBatch() {
        writeBatches.increment();
    }

    public void countBadFrame() {
        badFrames.increment();
    }

    public void countIgnoredFrame() {
        ignoredFrames.increment();
    }

    public void countRateLimited() {
        rateLimited.increment();
    }

    public void countSlowConsumer() {
        slowConsumers.increment();
    }

    public void countXhrPost() {
        xhrPosts.increment();
    }

    public void countXhrPoll() {
        xhrPolls.increment();
    }

    /** A long poll answered at once with nothing because {@code xhr.max-waiters} polls were already held. */
    public void countXhrPollNotHeld() {
        xhrPollsNotHeld.increment();
    }

    /** Messages a poller never saw because they left the log before its next poll. */
    public void countXhrLost(long n) {
        xhrLost.add(n);
    }

    /** WebSockets accepted. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** Upgrades refused: origin (403), too many per address (429 or 1008), draining (503), token (401). */
    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    /** Upgrades refused for {@code reason}. */
    public long upgradesRefused(UpgradeRefusal reason) {
        return refusals.get(reason).sum();
    }

    /** Text frames received. */
    public long framesIn() {
        return framesIn.sum();
    }

    /** Text frames written. */
    public long framesOut() {
        return framesOut.sum();
    }

    /** Batches of text frames written; {@link #framesOut} divided by this is how well writes are coalesced. */
    public long writeBatches() {
        return writeBatches.sum();
    }

    /** Frames answered with an {@code invalid_json}, {@code invalid_frame} or {@code too_large} error. */
    public long badFrames() {
        return badFrames.sum();
    }

    /** Frames the reference servers ignore, ignored likewise (falsy {@code data}, presence check without channel). */
    public long ignoredFrames() {
        return ignoredFrames.sum();
    }

    /** WebSocket frames and XHR posts refused by the rate limit. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** Sockets closed with 1013 because their outbound queue overflowed. */
    public long slowConsumers() {
        return slowConsumers.sum();
    }

    public long xhrPosts() {
        return xhrPosts.sum();
    }

    public long xhrPolls() {
        return xhrPolls.sum();
    }

    public long xhrPollsNotHeld() {
        return xhrPollsNotHeld.sum();
    }

    public long xhrLost() {
        return xhrLost.sum();
    }
}
