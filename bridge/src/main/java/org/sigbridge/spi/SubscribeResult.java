package org.sigbridge.spi;

import java.util.Objects;

/** The answer to {@link AdapterContext#subscribe}. */
public sealed interface SubscribeResult {

    SubscribeResult SUBSCRIBED = new Subscribed();

    /** The endpoint is (now) a subscriber of the channel. */
    record Subscribed() implements SubscribeResult {
    }

    /** The routing table does not let this channel be used. */
    record Refused(ErrorCode code, String detail) implements SubscribeResult {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
