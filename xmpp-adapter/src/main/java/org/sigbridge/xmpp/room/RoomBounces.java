package org.sigbridge.xmpp.room;

import java.util.Optional;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one MUC room's error bounces of our messages mean (XEP-0045 §7.4, RFC 6120 §8.3). {@code not-acceptable}
 * through the bridge session means the room no longer counts us as an occupant: the membership is lost, the room is
 * rejoined and what was not reflected is sent again (at most {@value #MAX_NOT_ACCEPTABLE_STREAK} times in a row
 * without a reflection between, after which the bounce is reported like any other). A bounced private message, and
 * any other bounce, is reported to the envelope's sender: {@code no_such_recipient} when the occupant is gone, else
 * {@code upstream_rejected}; a bounce of nothing we wait for is counted as ignored.
 *
 * <p>Threads: worker-confined (the bounce and the reflection that resets the streak both run on the adapter's
 * worker); never blocks.
 */
final class RoomBounces {

    private static final Logger log = LoggerFactory.getLogger(MucRoomBinding.class);
    /** {@code not-acceptable} bounces in a row (no reflection between) after which we stop rejoining for them. */
    private static final int MAX_NOT_ACCEPTABLE_STREAK = 3;

    private final EntityBareJid room;
    private final RoomServices s;
    private final RoomMembership membership;
    private final RoomOutbox outbox;
    // worker-confined
    private int notAcceptableStreak;

    RoomBounces(EntityBareJid room, RoomServices services, RoomMembership membership, RoomOutbox outbox) {
        this.room = room;
        this.s = services;
        this.membership = membership;
        this.outbox = outbox;
    }

    /** Worker: the room reflected one of our messages, so it takes them again. */
    void reflected() {
        notAcceptableStreak = 0;
    }

    /**
     * Worker: an error bounce of a message we sent to this room.
     *
     * @param viaBridge whether it came to the bridge session (else to a per-user session)
     */
    void bounced(Message error, boolean viaBridge) {
        StanzaError e = error.getError();
        StanzaError.Condition condition = e == null ? null : e.getCondition();
        String text = e == null ? "unknown error" : condition + (e.getDescriptiveText() == null ? "" : " (" + e.getDescriptiveText() + ")");
        Optional<Envelope> direct = error.getStanzaId() == null ? Optional.empty() : outbox.bouncedPrivate(error.getStanzaId());
        if (direct.isPresent()) {
            boolean nobody = XmppEnvelopeMapper.isNoSuchRecipient(error);
            s.stats().upstreamErrors().increment();
            log.info("{}: private message {} in {} bounced: {}", s.adapter(), direct.get().id(), room, text);
            s.context().reportFailure(direct.get(), nobody ? ErrorCode.NO_SUCH_RECIPIENT : ErrorCode.UPSTREAM_REJECTED,
                    "XMPP room " + room + ": " + (nobody ? "no participant '" + direct.get().recipient() + "' there: " : "refused it: ") + text);
            if (!(viaBridge && condition == StanzaError.Condition.not_acceptable && membership.joinedNow())) {
                return;
            }
        }
        if (viaBridge && condition == StanzaError.Condition.not_acceptable && notAcceptableStreak < MAX_NOT_ACCEPTABLE_STREAK) {
            if (membership.joinedNow()) {
                notAcceptableStreak++;
                membership.lost("the room bounced our message as not-acceptable: we are not an occupant");
            }
            return; // the envelope was put back in the queue with the rest, or already was
        }
        Optional<Envelope> original = error.getStanzaId() == null ? Optional.empty() : outbox.bounced(error.getStanzaId());
        if (original.isEmpty()) {
            s.stats().ignored().increment();
            return;
        }
        s.stats().upstreamErrors().increment();
        log.info("{}: room {} bounced envelope {}: {}", s.adapter(), room, original.get().id(), text);
        s.context().reportFailure(original.get(), ErrorCode.UPSTREAM_REJECTED, "XMPP room " + room + " refused it: " + text);
    }
}
