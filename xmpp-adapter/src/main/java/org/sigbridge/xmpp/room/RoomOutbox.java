package org.sigbridge.xmpp.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.config.BodyMode;
import org.sigbridge.xmpp.config.OccupantMode;
import org.sigbridge.xmpp.mapping.Outbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing side of one room: accepted envelopes wait in an {@link OutboundQueue} until the room is
 * joined, are sent in order, and stay in {@link AwaitingReflection} until the room reflects them back
 * (XEP-0045 §7.2.2, matched by the envelope id in the {@code signal} element).
 *
 * <p>The contract (docs/design.md §2.4): nothing accepted is lost silently. Every envelope {@link #deliver}
 * accepted ends in exactly one of: its reflection came back (delivered to the room); the room bounced it
 * ({@code upstream_rejected}, reported by the binding); it waited longer than {@code pending-max-age} for
 * a join or a reflection ({@code expired}); the room was left or the bridge closed ({@link #failAll}).
 * When the session or the membership is lost, everything not yet reflected is put back in front of the
 * queue ({@link #requeueUnconfirmed}) and sent again after the rejoin; receivers drop the repeat by
 * envelope id ({@link org.sigbridge.support.RecentIds}). Overflow never drops an accepted envelope: a full queue refuses the
 * new one at once ({@code upstream_unavailable}), and a full send window just holds the queue.
 *
 * <p>In {@code per-user} mode each sender's envelopes go through its own {@link SenderOccupant}.
 *
 * <p>Addressed envelopes go as private messages (XEP-0045 §7.5) through the same queue, in order with the
 * rest. A room reflects no private message, so one counts as delivered once handed to the session; it is
 * remembered by id for a while ({@link #bouncedPrivate}) so that an error bounce (the room's "recipient not
 * in room", another bridge's {@code no-such-recipient}) still reaches its sender by envelope id.
 *
 * <p>Threading: {@link #deliver} on hub threads (mapping and a bounded offer); the rest on the worker.
 */
final class RoomOutbox {

    private static final Logger log = LoggerFactory.getLogger(RoomOutbox.class);

    private final EntityBareJid room;
    private final RoomServices s;
    private final MucRoomBinding binding;
    private final OutboundQueue queue;
    private final AwaitingReflection awaiting; // worker-confined
    private final Map<String, SenderOccupant> senders = new HashMap<>(); // worker-confined
    private final Map<String, Envelope> privateSent = new java.util.LinkedHashMap<>(64, 0.75f, false) { // worker-confined
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Envelope> eldest) {
            return size() > PRIVATE_REMEMBERED;
        }
    };
    /** Private messages remembered for their bounces. */
    static final int PRIVATE_REMEMBERED = 512;

    RoomOutbox(EntityBareJid room, RoomServices services, MucRoomBinding binding) {
        this.room = room;
        this.s = services;
        this.binding = binding;
        this.queue = new OutboundQueue(services.settings().pendingQueueSize(), services.settings().pendingMaxAge(),
                services.context().clock());
        this.awaiting = new AwaitingReflection(services.settings().pendingQueueSize());
    }

    /**
     * Hub thread: maps and queues; never blocks. {@code joined} picks delivered over queued.
     *
     * @param noStore add the XEP-0334 no-store hint ({@link RoomArchive})
     */
    DeliveryResult deliver(Envelope envelope, BodyMode body, boolean noStore, boolean joined) {
        return offer(envelope, s.mapper().toStanza(envelope, room, body, noStore), false, joined);
    }

    /**
     * Hub thread: maps an addressed envelope to a private message to {@code occupant} and queues it; never blocks.
     *
     * @param participant the participant id for {@code signal/@to}, or {@code null} when the occupant is the recipient
     */
    DeliveryResult deliverPrivate(Envelope envelope, org.jxmpp.jid.EntityFullJid occupant, String participant, BodyMode body,
                                  boolean noStore, boolean joined) {
        return offer(envelope, s.mapper().toPrivateStanza(envelope, occupant, participant, body, noStore), true, joined);
    }

    private DeliveryResult offer(Envelope envelope, Outbound out, boolean direct, boolean joined) {
        if (out instanceof Outbound.Refused refused) {
            if (refused.code() == ErrorCode.TOO_LARGE) {
                s.stats().tooLarge().increment();
            }
            return new DeliveryResult.Rejected(refused.code(), refused.detail());
        }
        Message stanza = ((Outbound.Stanza) out).message();
        if (!queue.offer(new Waiting(envelope, stanza, s.context().clock().instant(), direct))) {
            s.stats().queueRejected().increment();
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "room " + room + " is not joined yet and "
                    + queue.capacity() + " envelopes already wait for it (pending-queue-size)");
        }
        return joined ? DeliveryResult.DELIVERED : DeliveryResult.QUEUED;
    }

    /**
     * Worker, only while the room is joined through {@code bridge}: sends what waits, in order, until the
     * queue is empty, the send window is full, or a per-user occupant is still taking its seat.
     */
    void pump(XMPPTCPConnection bridge) {
        while (!awaiting.isFull()) {
            Waiting w = queue.peek();
            if (w == null) {
                return;
            }
            XMPPTCPConnection via = bridge;
            if (s.settings().occupants() == OccupantMode.PER_USER) {
                Optional<SenderOccupant> own = senderOccupant(w.envelope());
                if (own.isPresent()) {
                    if (own.get().isPending()) {
                        return; // keep order: wait for this sender's seat, or its fallback
                    }
                    own.get().usedBy(w.envelope().origin().endpoint());
                    if (own.get().isJoined()) {
                        via = own.get().connection();
                    }
                }
            }
            try {
                via.sendStanza(w.stanza());
            } catch (SmackException.NotConnectedException e) {
                return; // the session's offline event follows; the envelope stays at the head
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.removeHead();
            if (w.direct()) {
                privateSent.put(w.envelope().id(), w.envelope()); // no reflection comes for a private message
            } else {
                awaiting.sent(w, s.context().clock().instant());
            }
            s.sent().add(w.envelope());
            s.stats().sent().increment();
            log.debug("{}: sent envelope {} to {}", s.adapter(), w.envelope().id(), room);
        }
    }

    /** Worker: the room reflected {@code envelopeId}; true if it was one of ours awaiting that receipt. */
    boolean confirm(String envelopeId) {
        return awaiting.confirm(envelopeId);
    }

    /** Worker: the room bounced the message with this stanza id; the envelope, if we still await it. */
    Optional<Envelope> bounced(String stanzaId) {
        return awaiting.remove(stanzaId).map(Waiting::envelope);
    }

    /** Worker: an error bounce with this stanza id; the addressed envelope, if it was one of our private messages. */
    Optional<Envelope> bouncedPrivate(String stanzaId) {
        return Optional.ofNullable(privateSent.remove(stanzaId));
    }

    /** Worker: the session or membership is gone; what was sent but not reflected goes out again first. */
    void requeueUnconfirmed() {
        List<Waiting> unconfirmed = awaiting.takeAll();
        if (!unconfirmed.isEmpty()) {
            s.stats().resent().add(unconfirmed.size());
            log.info("{}: {} envelope(s) sent to {} were not reflected before the loss; sending them again after the rejoin",
                    s.adapter(), unconfirmed.size(), room);
            queue.requeueFront(unconfirmed);
        }
    }

    /** Worker: reports {@code expired} for what waited too long for a join or for its reflection. */
    void expire() {
        List<Waiting> expired = new ArrayList<>(queue.expire());
        expired.addAll(awaiting.expire(s.context().clock().instant(), s.settings().pendingMaxAge(), s.settings().requestTimeout()));
        String trouble = expired.isEmpty() ? null : binding.troubleHint();
        for (Waiting w : expired) {
            s.stats().expired().increment();
            s.context().reportFailure(w.envelope(), ErrorCode.EXPIRED, "not confirmed by XMPP room " + room + " within pending-max-age ("
                    + s.settings().pendingMaxAge().toSeconds() + "s)" + (trouble == null ? "" : "; the room: " + trouble));
        }
    }

    /** Worker: the room is being left; reports everything not yet confirmed with {@code code} and closes the seats. */
    void failAll(ErrorCode code, String detail) {
        List<Waiting> all = new ArrayList<>(awaiting.takeAll());
        all.addAll(queue.drainAll());
        for (Waiting w : all) {
            s.context().reportFailure(w.envelope(), code, detail);
        }
        senders.values().forEach(SenderOccupant::close);
        senders.clear();
    }

    /** Worker: a local endpoint left; per-user occupants nobody sends as any more leave. */
    void endpointLeft(String endpointId) {
        senders.values().removeIf(o -> {
            if (o.leftBy(endpointId)) {
                o.close();
                return true;
            }
            return false;
        });
    }

    /** Worker: nothing waits to be sent or confirmed. */
    boolean isEmpty() {
        return queue.isEmpty() && awaiting.isEmpty();
    }

    /** Worker: for logs. */
    String describe() {
        return "awaiting reflection " + awaiting.size() + ", senders " + senders.values();
    }

    private Optional<SenderOccupant> senderOccupant(Envelope envelope) {
        if (envelope.sender().isNull()) {
            return Optional.empty();
        }
        String sender = envelope.senderText();
        SenderOccupant o = senders.get(sender);
        if (o == null) {
            if (s.userSessions().incrementAndGet() > s.settings().maxUserSessions()) {
                s.userSessions().decrementAndGet();
                return Optional.empty();
            }
            o = new SenderOccupant(binding, s, sender);
            senders.put(sender, o);
            o.start();
        }
        return Optional.of(o);
    }
}
