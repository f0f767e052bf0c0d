package org.sigbridge.xmpp.room;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.xmpp.config.InboundLimitSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound limit of one xmpp adapter (conf/reference/xmpp.md "Inbound limit"): decides, on Smack's reader
 * thread and before anything is queued, whether a message from a room occupant (groupchat, XEP-0045 §7.4, or
 * private, §7.5, to the bridge occupant or to a per-user occupant) goes on to the adapter's worker. One occupant has
 * one bucket per room, whichever of our occupants it writes to. Refused are messages beyond the occupant's or the room's token
 * bucket and, whatever their rate, messages while {@code inbound-limit.queue-size} accepted ones still wait for
 * the worker; so the worker's queue of room messages, the only queue between the socket and the hub (Smack's
 * reader parses straight from the socket and hands over in a stanza filter, see
 * {@link org.sigbridge.xmpp.session.ReaderHandOff}), never grows without bound. Messages from the bridge's own
 * occupants (reflections, bounded by the rooms' send windows) always pass; so do those of rooms the adapter has
 * no binding for (the worker ignores and counts them) except for the queue bound.
 *
 * <p>A refusal is counted by reason ({@code sigbridge_xmpp_inbound_refused_total{reason}}), logged once when a
 * room's burst of refusals starts (WARN) and once when it has ended (INFO, with the count: on the room's first message
 * after five seconds without a refusal), and answered to the occupant with a
 * message error (RFC 6120 §8.3, routed by the room as a private message, XEP-0045 §7.5), at most once a second
 * per occupant: {@code <policy-violation/>} type {@code wait} when the occupant exceeded its own rate (what
 * Prosody's mod_muc_limits answers), {@code <resource-constraint/>} type {@code wait} when the room's rate or the
 * queue is exhausted (the bridge is busy; not that occupant's fault alone). The answer is offered to Smack's
 * outgoing queue without waiting ({@link XMPPConnection#trySendStanza}); when it is full, no answer.
 *
 * <p>Thread-safe: {@link #pass} runs on the reader threads of the bridge session and of per-user sessions (the answer
 * goes back through the session that received the message), {@link #refused} on scraping threads.
 */
public final class InboundGate {

    private static final Logger log = LoggerFactory.getLogger(InboundGate.class);

    private final String adapter;
    private final InboundLimitSettings limits;
    private final RoomDirectory rooms;
    private final Executor worker;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<InboundRate.Reason, LongAdder> refused = new EnumMap<>(InboundRate.Reason.class);

    /**
     * @param worker the adapter's worker, which handles what passes
     */
    public InboundGate(String adapter, InboundLimitSettings limits, RoomDirectory rooms, Executor worker) {
        this.adapter = adapter;
        this.limits = limits;
        this.rooms = rooms;
        this.worker = worker;
        for (InboundRate.Reason r : InboundRate.Reason.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /**
     * Reader thread: runs {@code handle} on the worker if {@code message} passes, else refuses it (counted, logged
     * per burst, maybe answered through {@code via}). Never blocks.
     */
    public void pass(Message message, XMPPConnection via, Runnable handle) {
        EntityBareJid roomJid = message.getFrom() == null ? null : message.getFrom().asEntityBareJidIfPossible();
        String nick = message.getFrom() == null || message.getFrom().getResourceOrNull() == null ? null
                : message.getFrom().getResourceOrThrow().toString();
        MucRoomBinding binding = roomJid == null ? null : rooms.find(roomJid);
        InboundRate rate = binding == null || nick == null ? null : binding.inboundRate();
        if (rate != null && binding.ownNicks().contains(nick)) {
            enqueue(handle); // our own: bounded by the room's send window
            return;
        }
        InboundRate.Reason reason = rate == null ? null : rate.admit(nick);
        if (reason == null && waiting.get() >= limits.queueSize()) {
            reason = InboundRate.Reason.QUEUE_FULL;
        }
        if (reason == null) {
            logEnd(roomJid, rate == null ? null : rate.admitted());
            enqueue(handle);
            return;
        }
        refuse(message, via, roomJid, nick, rate, reason);
    }

    private void refuse(Message message, XMPPConnection via, EntityBareJid room, String nick, InboundRate rate,
                        InboundRate.Reason reason) {
        refused.get(reason).increment();
        if (rate == null) {
            log.debug("{}: refused a message from {}: {}", adapter, message.getFrom(), reason.label);
            return;
        }
        InboundRate.BurstEnd burst = rate.refused(nick);
        if (burst != null && burst != InboundRate.STARTED) {
            logEnd(room, burst);
        }
        if (burst != null) {
            log.warn("{}: room {} sends faster than the bridge takes: refusing messages ({}, first from occupant {}) until it"
                            + " slows down; limits: inbound-limit occupant-per-second {} (burst {}), room-per-second {} (burst {}),"
                            + " queue-size {}. Refusals are answered with a message error and counted in"
                            + " sigbridge_xmpp_inbound_refused_total; raise the limits if this room's traffic is legitimate"
                            + " (e.g. another bridge relaying many browsers), or limit the occupant at the server (Prosody mod_muc_limits)",
                    adapter, room, reason.label, nick, limits.occupantPerSecond(), limits.occupantBurst(), limits.roomPerSecond(),
                    limits.roomBurst(), limits.queueSize());
        }
        if (rate.replyDue(nick)) {
            answer(message, via, reason);
        }
    }

    private void logEnd(EntityBareJid room, InboundRate.BurstEnd end) {
        if (end != null) {
            log.info("{}: room {} is within its inbound limit again: refused {} messages over {} ms (from {})", adapter,
                    room, end.refused(), TimeUnit.NANOSECONDS.toMillis(end.nanos()), String.join(", ", end.nicks()));
        }
    }

    /** A message error back to the occupant (RFC 6120 §8.3: same id, to the sender). */
    private void answer(Message message, XMPPConnection via, InboundRate.Reason reason) {
        boolean own = reason == InboundRate.Reason.OCCUPANT_RATE;
        StanzaError error = StanzaError.getBuilder(own ? StanzaError.Condition.policy_violation : StanzaError.Condition.resource_constraint)
                .setType(StanzaError.Type.WAIT)
                .setDescriptiveEnText(own ? "You are sending faster than this bridge takes from one occupant; slow down"
                        : "This bridge is busy with this room's traffic; try again later")
                .build();
        Message reply = StanzaBuilder.buildMessage(message.getStanzaId()).ofType(Message.Type.error).to(message.getFrom())
                .setError(error).build();
        try {
            via.trySendStanza(reply);
        } catch (SmackException.NotConnectedException e) {
            log.debug("{}: cannot answer {} ({}): not connected", adapter, message.getFrom(), reason.label);
        }
    }

    private void enqueue(Runnable handle) {
        waiting.incrementAndGet();
        try {
            worker.execute(() -> {
                waiting.decrementAndGet();
                handle.run();
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet(); // closing
        }
    }

    /** Messages refused for {@code reason} ({@code occupant_rate}, {@code room_rate}, {@code queue_full}) so far. Any thread. */
    public long refused(String reason) {
        for (Map.Entry<InboundRate.Reason, LongAdder> e : refused.entrySet()) {
            if (e.getKey().label.equals(reason)) {
                return e.getValue().sum();
            }
        }
        throw new IllegalArgumentException("no such reason: " + reason);
    }

    /** The {@code reason} labels, in a stable order. */
    public static java.util.List<String> reasons() {
        return java.util.Arrays.stream(InboundRate.Reason.values()).map(r -> r.label).toList();
    }

    /** Messages accepted and not yet handled by the worker. Any thread. */
    public int waiting() {
        return waiting.get();
    }
}
