package org.sigbridge.spi;

import java.util.Objects;

/** What an {@link Endpoint} did with an envelope: an expected outcome, as a value. */
public sealed interface DeliveryResult {

    Delivered DELIVERED = new Delivered();
    Queued QUEUED = new Queued();

    /** Handed to the transport (a socket's bounded outbound queue, a sent stanza or request). */
    record Delivered() implements DeliveryResult {
    }

    /** Held in a bounded, time-limited queue until the upstream is ready; may still fail later. */
    record Queued() implements DeliveryResult {
    }

    /** Will not be delivered. */
    record Rejected(ErrorCode code, String detail) implements DeliveryResult {
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
