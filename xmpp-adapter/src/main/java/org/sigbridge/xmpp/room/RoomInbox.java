package org.sigbridge.xmpp.room;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jivesoftware.smack.packet.Message;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.support.EnvelopeMdc;
import org.sigbridge.support.RecentIds;
import org.sigbridge.xmpp.mapping.Inbound;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incoming side of one room: groupchat messages that reached the bridge session become envelopes on
 * the room's open channels (docs/design.md §4.3).
 *
 * <p>In order: a message whose envelope id ({@link XmppEnvelopeMapper#envelopeId}: the {@code signal} element's
 * {@code id}, else an XEP-0359 origin-id) we await is the room's receipt for our own envelope (XEP-0045 §7.2.2)
 * and confirms it; any other message with an envelope id we sent is a reflection and dropped (reflections are
 * recognised by envelope id only: a message from one of our nicks that we did not send means
 * another session shares the nick, which is reported and the message delivered); an envelope id this room already delivered (a sending bridge's resend after an
 * outage, see {@link RoomOutbox}) is dropped as a duplicate; the rest is mapped and published. Malformed
 * input is ignored and counted, never thrown. Private messages to our occupants take
 * {@link #privateInbound}. Worker-confined.
 */
final class RoomInbox {

    private static final Logger log = LoggerFactory.getLogger(RoomInbox.class);

    /** Envelope ids remembered per room for duplicate suppression. */
    static final int RECENT_IDS = 2048;

    private final EntityBareJid room;
    private final RoomServices s;
    private final Consumer<String> sharedNick;
    private final RecentIds<String, Boolean> recent = new RecentIds<>(RECENT_IDS);

    /**
     * @param sharedNick told (worker) the nick of ours that a message we did not send came from: another session
     *                   occupies the room under our nick
     */
    RoomInbox(EntityBareJid room, RoomServices services, Consumer<String> sharedNick) {
        this.room = room;
        this.s = services;
        this.sharedNick = sharedNick;
    }

    /**
     * @param links    the room's open channels by exact channel name
     * @param ownNicks our occupants' nicks in this room
     * @param outbox   to confirm our own envelopes
     * @return whether it was the reflection of an envelope we awaited
     */
    boolean inbound(Message message, Map<String, RoomLink> links, Set<String> ownNicks, RoomOutbox outbox) {
        String fromNick = message.getFrom() == null ? null : String.valueOf(message.getFrom().getResourceOrNull());
        Optional<String> envelopeId = XmppEnvelopeMapper.envelopeId(message);
        if (envelopeId.filter(outbox::confirm).isPresent()) {
            s.stats().reflections().increment();
            return true;
        }
        if (envelopeId.filter(s.sent()::contains).isPresent()) {
            s.stats().reflections().increment();
            return false;
        }
        if (fromNick != null && ownNicks.contains(fromNick)) {
            // From our nick but not sent by us (every message we send carries an envelope id we remember): another
            // session shares the nick, e.g. a second bridge with the same account and nick. Delivered, not dropped.
            sharedNick.accept(fromNick);
        }
        Inbound in = s.mapper().fromStanza(message);
        if (in instanceof Inbound.Signal signal) {
            RoomLink link = links.get(signal.channel());
            if (link == null) {
                s.stats().ignored().increment(); // a channel sharing this room that is not open here
            } else if (isRepeat(signal.id())) {
                s.stats().duplicates().increment();
            } else {
                publish(link, signal.id(), signal.sender(), signal.message(), signal.channel());
            }
        } else if (in instanceof Inbound.Native n) {
            if (isRepeat(n.id())) {
                s.stats().duplicates().increment();
                return false;
            }
            String id = n.id().orElseGet(() -> s.context().envelopeIds().next());
            for (RoomLink link : links.values()) {
                publish(link, Optional.of(id), JsonValue.string(n.nick()), n.message(), link.channel());
            }
        } else if (in instanceof Inbound.Malformed bad) {
            s.stats().malformed().increment();
            log.debug("{}: ignored a malformed message in {} from {}: {}", s.adapter(), room, message.getFrom(), bad.reason());
        } else {
            s.stats().ignored().increment();
        }
        return false;
    }

    /**
     * A private message (XEP-0045 §7.5) from an occupant to one of ours. A {@code signal} element's {@code to}
     * names the local participant it is for (another bridge addressing one of ours); without one, a message to
     * a per-user occupant is for the local endpoint that last sent as it, and a message to the bridge occupant
     * is for every local participant of the room's channels (a native client cannot name one of them). When
     * nobody here is the recipient, the sender gets an error reply naming the envelope id
     * ({@link XmppEnvelopeMapper#noSuchRecipientReply}).
     *
     * @param seat the per-user occupant it was sent to, or {@code null} for the bridge occupant
     * @param via  the session it arrived on, for the error reply
     */
    void privateInbound(Message message, Map<String, RoomLink> links, Set<String> ownNicks, SenderOccupant seat,
                        XMPPTCPConnection via) {
        String fromNick = message.getFrom() == null ? null : String.valueOf(message.getFrom().getResourceOrNull());
        if (fromNick == null || "null".equals(fromNick) || ownNicks.contains(fromNick)) {
            s.stats().ignored().increment(); // from the room itself, or between our own occupants
            return;
        }
        String seatRecipient = seat == null ? null : seat.lastEndpoint();
        Inbound in = s.mapper().fromStanza(message);
        boolean nobody;
        if (in instanceof Inbound.Signal signal) {
            RoomLink link = links.get(signal.channel());
            if (isRepeat(signal.id())) {
                s.stats().duplicates().increment();
                return;
            }
            String recipient = signal.to().orElse(seatRecipient);
            if (link == null) {
                s.stats().ignored().increment(); // a channel sharing this room that is not open here
            }
            nobody = link == null ? recipient != null
                    : publish(link, signal.id(), signal.sender(), signal.message(), signal.channel(), recipient) instanceof PublishResult.Refused r
                            && r.code() == ErrorCode.NO_SUCH_RECIPIENT;
        } else if (in instanceof Inbound.Native n) {
            if (isRepeat(n.id())) {
                s.stats().duplicates().increment();
                return;
            }
            String id = n.id().orElseGet(() -> s.context().envelopeIds().next());
            nobody = seatRecipient != null || links.isEmpty();
            for (RoomLink link : links.values()) {
                PublishResult r = publish(link, Optional.of(id), JsonValue.string(n.nick()), n.message(), link.channel(), seatRecipient);
                nobody &= r instanceof PublishResult.Refused;
            }
        } else {
            if (in instanceof Inbound.Malformed bad) {
                s.stats().malformed().increment();
                log.debug("{}: ignored a malformed private message in {} from {}: {}", s.adapter(), room, message.getFrom(), bad.reason());
            } else {
                s.stats().ignored().increment();
            }
            return;
        }
        if (nobody && message.getStanzaId() != null && via != null) {
            try {
                via.sendStanza(XmppEnvelopeMapper.noSuchRecipientReply(message));
            } catch (SmackException.NotConnectedException e) {
                log.debug("{}: cannot answer {} from {}: not connected", s.adapter(), message.getStanzaId(), message.getFrom());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isRepeat(Optional<String> id) {
        return id.isPresent() && recent.putIfAbsent(id.get(), Boolean.TRUE).isPresent();
    }

    private void publish(RoomLink link, Optional<String> id, JsonValue sender, JsonValue message, String channel) {
        publish(link, id, sender, message, channel, null);
    }

    private PublishResult publish(RoomLink link, Optional<String> id, JsonValue sender, JsonValue message, String channel,
                                  String recipient) {
        Envelope envelope = new Envelope(s.context().envelopeIds().keepOrIssue(id), channel, sender, message,
                new Origin(s.adapter(), link.id()), s.context().clock().instant(), recipient);
        s.stats().received().increment();
        PublishResult result;
        try (EnvelopeMdc mdc = EnvelopeMdc.open(s.adapter(), envelope)) {
            result = s.context().publishInbound(envelope);
            log.debug("{}: envelope {} from {}{} -> {}", s.adapter(), envelope.id(), room, recipient == null ? "" : " to " + recipient, result);
        }
        return result;
    }
}
