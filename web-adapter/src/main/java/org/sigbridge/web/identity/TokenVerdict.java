package org.sigbridge.web.identity;

import java.util.Objects;

/** What {@link TokenVerifier#verify} found: a value, never an exception. */
public sealed interface TokenVerdict {

    /** The token is genuine, current and within limits. */
    record Accepted(Identity identity) implements TokenVerdict {
        public Accepted {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The token is refused.
     *
     * @param detail one line for the client's error frame, saying which check failed (never the secret)
     */
    record Refused(String detail) implements TokenVerdict {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
