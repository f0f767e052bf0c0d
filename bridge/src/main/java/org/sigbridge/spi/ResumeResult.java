package org.sigbridge.spi;

import java.util.Objects;

/**
 * The answer to {@link AdapterContext#resume}. In the first two cases the endpoint is now a subscriber of the channel.
 */
public sealed interface ResumeResult {

    /**
     * What the endpoint missed since its position was handed to it, once and in order, before anything newer.
     *
     * @param replayed how many envelopes were replayed
     * @param position the channel's position after them
     */
    record Recovered(int replayed, Position position) implements ResumeResult {
        public Recovered {
            Objects.requireNonNull(position, "position");
        }
    }

    /**
     * The history no longer holds the position (trimmed by length or age, another epoch, no history kept): nothing was
     * replayed; the endpoint gets what is published from now on, like a fresh subscriber.
     *
     * @param reason for logs, e.g. {@code "the history no longer holds offset 4 (it starts at 17)"}
     * @param position the channel's position now, or {@code null} when no history is kept
     */
    record NotRecovered(String reason, Position position) implements ResumeResult {
        public NotRecovered {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The endpoint could not subscribe (the routing table refuses the channel). */
    record Refused(ErrorCode code, String detail) implements ResumeResult {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
