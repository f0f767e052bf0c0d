package org.sigbridge.spi;

import java.util.Objects;

/**
 * An envelope that will not be delivered upstream, reported back to the endpoint that sent it.
 *
 * @param envelopeId the envelope's id, which the error frame carries
 * @param channel    its channel
 * @param code       the stable wire code
 * @param detail     one human-readable line, e.g. {@code SIP 486 Busy Here from sip:bob@example.org}
 */
public record DeliveryFailure(String envelopeId, String channel, ErrorCode code, String detail) {

    public DeliveryFailure {
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }
}
