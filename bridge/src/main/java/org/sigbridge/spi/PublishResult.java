package org.sigbridge.spi;

import java.util.Objects;

/** What the hub did with a published envelope. */
public sealed interface PublishResult {

    /**
     * Accepted: handed to {@code delivered} endpoints and waiting at {@code queued} more (zero of both
     * when nobody else is on the channel).
     */
    record Published(int delivered, int queued) implements PublishResult {
    }

    /** Not accepted at all; nothing was delivered. */
    record Refused(ErrorCode code, String detail) implements PublishResult {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
