package org.sigbridge.web.classic.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;

/** What browsers receive, written without I/O. */
class ServerFramesTest {

    private final Envelope envelope = new Envelope("id-1", "c", new JsonValue("5"), new JsonValue("\"{\\\"a\\\":1}\""),
            new Origin("web", "web-1"), Instant.EPOCH);

    @Test
    void channelsSocketsGetTheBareMessageAndEnvelopeSocketsTheWholeEnvelope() {
        assertEquals("\"{\\\"a\\\":1}\"", ServerFrames.delivery(envelope, Mode.CHANNELS).json());
        assertEquals("\"{\\\"a\\\":1}\"", ServerFrames.delivery(envelope, Mode.UNDECIDED).json());
        assertEquals("{\"id\":\"id-1\",\"sender\":5,\"channel\":\"c\",\"message\":\"{\\\"a\\\":1}\"}", ServerFrames.delivery(envelope, Mode.ENVELOPE).json());
    }

    @Test
    void errorFramesFollowTheDesignShapeAndOmitAnUnknownId() {
        assertEquals("{\"error\":{\"code\":\"rate_limited\",\"detail\":\"slow \\\"down\\\"\",\"id\":\"e\"}}",
                ServerFrames.error(ErrorCode.RATE_LIMITED, "slow \"down\"", "e"));
        assertEquals("{\"error\":{\"code\":\"invalid_json\",\"detail\":\"x\"}}", ServerFrames.error(ErrorCode.INVALID_JSON, "x", null));
    }

    @Test
    void presenceEventNamesChannelParticipantAndWhetherStillPresent() {
        assertEquals("{\"presence\":{\"channel\":\"c\",\"event\":\"left\",\"participant\":{\"adapter\":\"xmpp\",\"id\":\"r@c/n\",\"name\":\"n\"},\"present\":false}}",
                ServerFrames.presenceEvent(new PresenceEvent("c", new Participant("xmpp", "r@c/n", "n"), PresenceEvent.Kind.LEFT, false)));
    }
}
