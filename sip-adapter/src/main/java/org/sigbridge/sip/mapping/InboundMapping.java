package org.sigbridge.sip.mapping;

import java.util.Map;
import java.util.Objects;
import org.sigbridge.envelope.Envelope;

/** What {@link SipEnvelopeMapper#toEnvelope} made of an incoming MESSAGE. */
public sealed interface InboundMapping {

    /**
     * A well-formed MESSAGE for one of our channels.
     *
     * @param envelope what to publish on the channel
     * @param member   the sending user agent, to keep as a channel member
     */
    record Accepted(Envelope envelope, SipMember member) implements InboundMapping {
        public Accepted {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * A request to answer with a final error status (docs/design.md §5.5).
     *
     * @param status  the SIP status code, e.g. 415
     * @param reason  the reason phrase, naming what is wrong
     * @param headers extra headers the status requires, e.g. {@code Accept} for 415
     */
    record Refused(int status, String reason, Map<String, String> headers) implements InboundMapping {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            headers = Map.copyOf(headers);
        }

        public Refused(int status, String reason) {
            this(status, reason, Map.of());
        }
    }
}
