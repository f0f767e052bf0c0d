package org.sigbridge.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.cluster.LogRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between a shared channel and one subscriber that resumed from a position taken on another instance
 * (docs/design.md §3.8, "Across instances"). While the channel's cluster log is read it holds the subscriber's live
 * deliveries ({@link #offer}); {@link #finish} then replays what the log holds after the client's position and hands
 * out what it held, leaving out what the client already has. From then on it stays in the way for as long as the
 * subscriber is on the channel: it drops what the client got before it moved (an envelope the old instance appends late,
 * an envelope from the cluster the replay already gave it, the client's own from its former endpoints) and hands out
 * positions that say what the client has (the log cut at least as far as the replay went, and the old instance's mark
 * while that instance may still append envelopes under it).
 *
 * <p>The client's marks are its position's history mark, its prior mark and its {@link Position#stamps}: each says up
 * to which stamp the client has one instance's envelopes. Stamps come with positions taken after the channel's log
 * began again (a {@link Frontier} of the instance that handed them out): the copies other instances append into the new
 * log come after the cut, and are dropped here by stamp (docs/cluster.md §6, "the tail replay").
 *
 * <p>Every method is called holding the channel's {@link History} (by {@link FanOut} and {@link Resumer}); so the
 * replay, the held deliveries and the live ones neither overlap nor leave a gap. Not thread-safe by itself.
 */
final class ResumeGate {

    private static final Logger log = LoggerFactory.getLogger(ResumeGate.class);
    /** At most this many live deliveries are held while the log is read; more gives the resume up. */
    static final int MAX_HELD = 10_000;

    /** A delivery held while the log is read; {@code copy}: one the cluster layer dropped by id ({@link #offerCopy}). */
    private record Held(Envelope envelope, Position position, Position.Mark log, Position.Mark stamp, boolean copy) {
    }

    private final Endpoint endpoint;
    private final Participant who;
    private final Set<String> ownEndpointIds;
    private final Position since;
    /** The highest stamp of each other instance's envelopes this instance had handed out when the gate was put up. */
    private final Map<String, Long> handedOutBefore;
    /** History epoch → the offset up to which the client has that instance's envelopes. */
    private final Map<String, Long> marks = new HashMap<>();
    /** The epochs of {@link #marks} still carried in positions (as {@link Position#prior()}). */
    private final Set<String> carried = new java.util.HashSet<>();
    /** The log cut the replay reached: cluster envelopes of this log up to it are the replay's. */
    private Position.Mark replayed;
    private List<Held> held = new ArrayList<>();
    private boolean overflowed;

    ResumeGate(Endpoint endpoint, Participant who, Position since, Set<String> ownEndpointIds) {
        this(endpoint, who, since, ownEndpointIds, Map.of());
    }

    /**
     * @param handedOutBefore the highest stamp of each other instance's envelopes the channel's history had handed out
     *                        when the gate is put up ({@link History#stampsHandedOut}): which copies {@link #offerCopy}
     *                        may concern
     */
    ResumeGate(Endpoint endpoint, Participant who, Position since, Set<String> ownEndpointIds, Map<String, Long> handedOutBefore) {
        this.handedOutBefore = Map.copyOf(handedOutBefore);
        this.endpoint = endpoint;
        this.who = who;
        this.since = since;
        this.ownEndpointIds = Set.copyOf(ownEndpointIds);
        marks.put(since.epoch(), since.offset());
        carried.add(since.epoch());
        if (since.prior() != null) {
            marks.merge(since.prior().epoch(), since.prior().offset(), Math::max);
            carried.add(since.prior().epoch());
        }
        for (Position.Mark stamp : since.stamps()) {
            // Other instances' envelopes it has that its log cut cannot stand for: the log began again, and they may be
            // appended into the new one again after the cut (the tail replay, docs/cluster.md §6). Dropped by stamp.
            marks.merge(stamp.epoch(), stamp.offset(), Math::max);
            carried.add(stamp.epoch());
        }
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /**
     * A live delivery of the channel for the subscriber, from {@link FanOut}: held while the log is read, else handed
     * on unless the client already has it.
     *
     * @param log   the envelope's cluster log mark when it came from another instance, else {@code null}
     * @param stamp its mark on the instance that accepted it, or {@code null}
     */
    DeliveryResult offer(Envelope envelope, Position position, Position.Mark log, Position.Mark stamp) {
        if (held != null) {
            if (held.size() >= MAX_HELD) {
                overflowed = true;
            } else {
                held.add(new Held(envelope, position, log, stamp, false));
            }
            return DeliveryResult.QUEUED;
        }
        if (has(envelope, log, stamp)) {
            return DeliveryResult.QUEUED; // the client has it: taken, and nothing to do
        }
        return endpoint.deliver(envelope, rewrite(position));
    }

    /**
     * A second copy of an envelope of another instance that the cluster layer dropped by envelope id, because this
     * instance handed it out before (appended again into a new log: docs/cluster.md §6), from
     * {@code ClusterContext.offerCopy}. The subscribers of then had it; this client came later, so it gets it when this
     * instance handed it out before the gate was put up (else it came through the gate), the copy is in the log the
     * gate read and after what the read reached ({@link #copyOwed}), and the client's marks do not cover it. Its stamp
     * then joins the client's marks, since the log cursor does not move for a copy.
     *
     * @param top the channel's history top now, for the position it is handed with
     */
    void offerCopy(Envelope envelope, Position top, Position.Mark log, Position.Mark stamp) {
        Long before = handedOutBefore.get(stamp.epoch());
        if (before == null || stamp.offset() > before) {
            return; // handed out here after the gate was put up: through it
        }
        if (ownEndpointIds.contains(envelope.origin().endpoint())
                || envelope.isAddressed() && !envelope.recipient().equals(endpoint.id()) && !envelope.recipient().equals(who.id())) {
            return; // its own, or someone else's
        }
        if (held != null) {
            if (held.size() >= MAX_HELD) {
                overflowed = true;
            } else {
                held.add(new Held(envelope, top, log, stamp, true));
            }
            return;
        }
        if (copyOwed(envelope, log, stamp)) {
            deliverCopy(envelope, top, stamp);
        }
    }

    /**
     * Whether a copy this instance handed out before the gate was put up is owed to the client. Only one in the log the
     * gate read and beyond what the read reached can be: one at or below it the read covered (replayed, or the client
     * had it), and one in a later log is a copy of an envelope that was in the log the read covered up to its top (this
     * instance had handed it out, so it was appended before the read's barrier). Then the client's marks decide: in one
     * log each instance's envelopes come in the order of their stamps.
     */
    private boolean copyOwed(Envelope envelope, Position.Mark log, Position.Mark stamp) {
        return log.epoch().equals(replayed.epoch()) && log.offset() > replayed.offset() && !has(envelope, log, stamp);
    }

    private void deliverCopy(Envelope envelope, Position top, Position.Mark stamp) {
        marks.merge(stamp.epoch(), stamp.offset(), Math::max);
        carried.add(stamp.epoch());
        deliverSafely(envelope, rewrite(top));
    }

    /**
     * Replays what the log read holds, then what was held; returns how many were replayed, or -1 when the resume
     * cannot recover (the read is unavailable, or too much arrived meanwhile): then what was held is handed on as it
     * came and the gate must be removed.
     */
    int finish(LogRead read, StringBuilder why) {
        List<Held> waiting = held;
        held = null;
        if (read instanceof LogRead.Unavailable || overflowed) {
            why.append(overflowed ? "more than " + MAX_HELD + " envelopes arrived while the cluster log was read"
                    : ((LogRead.Unavailable) read).reason());
            for (Held h : waiting) {
                if (!h.copy()) {
                    deliverSafely(h.envelope(), h.position());
                }
            }
            return -1;
        }
        LogRead.Entries entries = (LogRead.Entries) read;
        Map<String, Long> seen = new HashMap<>();
        int count = 0;
        for (LogRead.Entry entry : entries.entries()) {
            Position.Mark stamp = entry.stamp();
            boolean has = stamp != null && marks.getOrDefault(stamp.epoch(), -1L) >= stamp.offset();
            if (stamp != null) {
                seen.merge(stamp.epoch(), stamp.offset(), Math::max);
            }
            Envelope e = entry.envelope();
            if (has || ownEndpointIds.contains(e.origin().endpoint()) || e.origin().endpoint().equals(endpoint.id())) {
                continue;
            }
            if (e.isAddressed() && !e.recipient().equals(endpoint.id()) && !e.recipient().equals(who.id())) {
                continue; // someone else's (the former ids only ever hide envelopes, never reveal one)
            }
            Position.Mark at = new Position.Mark(entries.top().epoch(), entry.offset());
            deliverSafely(e, new Position(since.epoch(), since.offset(), at, since.prior(), since.stamps()));
            count++;
        }
        replayed = entries.top();
        // An instance whose envelopes the log showed at or beyond the client's mark for it has appended all it had under
        // that mark, so the mark need not travel in positions any more; one that appended nothing since may still
        // append some late (it lives and its queue was behind), so its mark does, until a later one of it arrives.
        seen.forEach((epoch, offset) -> {
            Long mark = marks.get(epoch);
            if (mark != null && offset >= mark) {
                carried.remove(epoch);
            }
            marks.merge(epoch, offset, Math::max); // what the replay covered (this instance's own included) is dropped live
        });
        for (Held h : waiting) {
            if (h.copy()) {
                if (copyOwed(h.envelope(), h.log(), h.stamp())) {
                    deliverCopy(h.envelope(), h.position(), h.stamp());
                }
            } else if (!has(h.envelope(), h.log(), h.stamp())) {
                deliverSafely(h.envelope(), rewrite(h.position()));
            }
        }
        return count;
    }

    /** The position to answer a resume with: where the channel stands now, as this client has it. */
    Position answer(Position top) {
        return rewrite(top);
    }

    /** Whether the client already has the envelope (and so it is not delivered); prunes marks it no longer needs. */
    private boolean has(Envelope envelope, Position.Mark log, Position.Mark stamp) {
        if (log != null && replayed != null && log.epoch().equals(replayed.epoch()) && log.offset() <= replayed.offset()) {
            return true; // the replay covered the log up to there
        }
        if (log != null && ownEndpointIds.contains(envelope.origin().endpoint())) {
            return true; // its own, sent from a former endpoint and appended late by its instance
        }
        if (stamp != null) {
            Long mark = marks.get(stamp.epoch());
            if (mark != null) {
                if (stamp.offset() <= mark) {
                    if (stamp.offset() == mark) {
                        marks.remove(stamp.epoch());
                        carried.remove(stamp.epoch());
                    }
                    return true;
                }
                marks.remove(stamp.epoch()); // that instance's envelopes come in its order: later ones are all new
                carried.remove(stamp.epoch());
            }
        }
        return false;
    }

    /**
     * The position {@code p} this instance's history gave, as this client has it: the cut at least as far as the replay
     * went, the old instance's mark as {@code prior}, the other marks still carried (and {@code p}'s own) as stamps.
     * When the log began again since the replay ({@code p}'s cut is of another epoch), every mark the gate knows goes
     * into the stamps: envelopes the replay gave the client may be appended into the new log again after its cut.
     */
    private Position rewrite(Position p) {
        Position.Mark cut = p.log();
        if (replayed != null && (cut == null || cut.epoch().equals(replayed.epoch()) && cut.offset() < replayed.offset())) {
            cut = replayed;
        }
        if (cut == null) {
            return p;
        }
        boolean logBegan = replayed != null && !cut.epoch().equals(replayed.epoch());
        if (!logBegan && p.stamps().isEmpty() && carried.size() <= 1) {
            Position.Mark prior = null; // the usual case, on every delivery to a resumed subscriber: no map
            for (String epoch : carried) {
                Long mark = marks.get(epoch);
                if (mark != null && !epoch.equals(p.epoch())) {
                    prior = new Position.Mark(epoch, mark);
                }
            }
            return new Position(p.epoch(), p.offset(), cut, prior);
        }
        Map<String, Long> needed = new java.util.LinkedHashMap<>();
        marks.forEach((epoch, mark) -> {
            if (!epoch.equals(p.epoch()) && (logBegan || carried.contains(epoch))) {
                needed.put(epoch, mark);
            }
        });
        Position.Mark prior = null;
        for (String epoch : new String[] {since.epoch(), since.prior() == null ? null : since.prior().epoch()}) {
            Long mark = epoch == null || prior != null ? null : needed.remove(epoch);
            if (mark != null) {
                prior = new Position.Mark(epoch, mark);
            }
        }
        for (Position.Mark stamp : p.stamps()) {
            if (prior == null || !stamp.epoch().equals(prior.epoch())) {
                needed.merge(stamp.epoch(), stamp.offset(), Math::max);
            }
        }
        if (prior == null && needed.isEmpty()) {
            return cut == p.log() ? p : new Position(p.epoch(), p.offset(), cut, null);
        }
        List<Position.Mark> stamps = new ArrayList<>(Math.min(needed.size(), Position.MAX_STAMPS));
        for (Map.Entry<String, Long> m : needed.entrySet()) {
            if (stamps.size() < Position.MAX_STAMPS) {
                stamps.add(new Position.Mark(m.getKey(), m.getValue()));
            }
        }
        return new Position(p.epoch(), p.offset(), cut, prior, stamps);
    }

    private void deliverSafely(Envelope envelope, Position position) {
        try {
            DeliveryResult r = endpoint.deliver(envelope, position);
            if (r instanceof DeliveryResult.Rejected rejected && rejected.code() != ErrorCode.SHUTTING_DOWN) {
                log.debug("endpoint {} refused resumed envelope {}: {}", endpoint.id(), envelope.id(), rejected.detail());
            }
        } catch (RuntimeException e) {
            log.error("endpoint {} failed to take resumed envelope {}", endpoint.id(), envelope.id(), e);
        }
    }
}
