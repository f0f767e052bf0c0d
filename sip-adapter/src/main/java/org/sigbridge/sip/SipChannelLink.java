package org.sigbridge.sip;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.sip.mapping.SipMember;
import org.sigbridge.sip.mapping.SipUris;
import org.sigbridge.sip.mapping.SipUserPart;
import org.sigbridge.sip.session.AnnouncedParticipants;
import org.sigbridge.sip.session.Membership;
import org.sigbridge.sip.session.OutboundSender;
import org.sigbridge.sip.session.ParticipantAnnouncer;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PresenceEvent;

/**
 * One open channel's link to SIP: every envelope the hub hands it goes as a MESSAGE to each member —
 * the route's templated target, its static members and the dynamic members that wrote lately; an addressed
 * envelope goes to the one member it names (conf/reference/sip.md, "Addressed delivery"), or to the member through
 * which another bridge announced the participant it names (docs/design.md §5.7). The channel's local joins and leaves
 * go to the {@link ParticipantAnnouncer}, which tells the other bridges.
 * Non-blocking; called on publishing threads.
 */
final class SipChannelLink implements ChannelLink {

    private final String id;
    private final String adapter;
    private final String channel;
    private final SipRoute route;
    private final List<String> fixedMembers;
    private final Membership membership;
    private final OutboundSender sender;
    private final Runnable onClose;
    private final Predicate<String> reachedThroughTarget;
    private final Optional<String> sharedAor;
    /** The participants other bridges announce, and our announcements; {@code null} in tests that choose members only. */
    private final AnnouncedParticipants announced;
    private final ParticipantAnnouncer announcer;
    /** Dynamic members ({@code contact + ' ' + aor}) found to be, or not to be, a fixed member named another way. */
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> fixedByMember = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 1024;

    /**
     * @param reachedThroughTarget whether a dynamic member already gets what is sent to the route's target (another
     *                             bridge bound to the channel AOR the target names, which the registrar forks to):
     *                             it stays a member (presence) but gets no MESSAGE of its own, not even a duplicate
     * @param sharedAor            the route's target when it is the channel's own AOR that this bridge registers, which
     *                             other bridges on the same registrar bind too; empty otherwise
     */
    SipChannelLink(String id, String adapter, RouteMatch match, SipRoute route, Membership membership, OutboundSender sender,
                   Predicate<String> reachedThroughTarget, Optional<String> sharedAor, Runnable onClose) {
        this(id, adapter, match, route, membership, sender, reachedThroughTarget, sharedAor, null, null, onClose);
    }

    /**
     * @param announced the participants other bridges announce on the channel (addressed delivery to them)
     * @param announcer where the channel's local joins and leaves go, to be announced to the other bridges
     */
    SipChannelLink(String id, String adapter, RouteMatch match, SipRoute route, Membership membership, OutboundSender sender,
                   Predicate<String> reachedThroughTarget, Optional<String> sharedAor, AnnouncedParticipants announced,
                   ParticipantAnnouncer announcer, Runnable onClose) {
        this.announced = announced;
        this.announcer = announcer;
        this.reachedThroughTarget = reachedThroughTarget;
        this.sharedAor = sharedAor;
        this.id = id;
        this.adapter = adapter;
        this.channel = match.channel();
        this.route = route;
        List<String> fixed = new java.util.ArrayList<>();
        route.targetFor(match).ifPresent(fixed::add);
        for (String m : route.members()) {
            if (fixed.stream().noneMatch(f -> SipUris.equivalent(f, m))) {
                fixed.add(m); // one UA named twice (RFC 3261 §19.1.4) is one member
            }
        }
        this.fixedMembers = List.copyOf(fixed);
        this.membership = membership;
        this.sender = sender;
        this.onClose = onClose;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return adapter;
    }

    String channel() {
        return channel;
    }

    /** The route's templated target and static members for this channel (the members the configuration names). */
    List<String> fixedMembers() {
        return fixedMembers;
    }

    /**
     * The members an envelope goes to now: templated target, static members, dynamic members not reached through the
     * target; each user agent once. A dynamic member that is a fixed one named another way (its contact or its From AOR
     * equivalent to the target or a static member, RFC 3261 §19.1.4) gets no MESSAGE of its own: the fixed one reaches it.
     */
    List<String> members() {
        Set<String> all = new LinkedHashSet<>(fixedMembers);
        for (SipMember m : membership.members(channel)) {
            if (!reachedThroughFixed(m)) {
                all.add(m.uri());
            }
        }
        return List.copyOf(all);
    }

    /**
     * Whether {@code m}'s contact is equivalent to a fixed member's URI (RFC 3261 §19.1.4), or its AOR is the one a
     * fixed member names ({@link SipUris#namesAor}); remembered per (contact, AOR).
     */
    private boolean isFixed(SipMember m) {
        if (fixedMembers.isEmpty()) {
            return false;
        }
        if (fixedByMember.size() > MAX_REMEMBERED) {
            fixedByMember.clear();
        }
        return fixedByMember.computeIfAbsent(m.uri() + ' ' + m.aor(), k -> fixedMembers.stream()
                .anyMatch(f -> SipUris.equivalent(f, m.uri()) || SipUris.namesAor(f, m.aor())));
    }

    /**
     * Whether a dynamic member already gets what is sent to the target or a static member: another bridge bound to the
     * channel AOR the target names, or a user agent that wrote from the address of record the target or a static member
     * names (the registrar forks a MESSAGE for that AOR to its bindings; a MESSAGE to its Contact too would be a
     * duplicate). Another bridge's From names its page's sender, not an AOR it is bound to, so a bridge contact is
     * never matched by its From.
     */
    private boolean reachedThroughFixed(SipMember m) {
        if (reachedThroughTarget.test(m.uri())) {
            return true;
        }
        if (isBridgeContact(m.uri())) {
            return false;
        }
        return isFixed(m);
    }

    /**
     * A broadcast envelope goes to every member; an addressed one to the member whose URI it names only (a
     * templated target, a static member or a dynamic member, even one otherwise reached through the target). A
     * recipient that is no member's URI — a page on another bridge, named by its own participant id — goes to the
     * channel's shared AOR when another bridge has written to this channel from its contact for that AOR (the
     * registrar forks it; the bridge that has the participant delivers it, the others answer 404); it is refused
     * {@code no_such_recipient} otherwise.
     */
    @Override
    public DeliveryResult deliver(Envelope envelope) {
        if (envelope.isAddressed()) {
            String to = envelope.recipient();
            List<SipMember> dynamic = membership.members(channel);
            boolean member = fixedMembers.contains(to) || dynamic.stream().anyMatch(m -> m.uri().equals(to));
            Optional<String> via = member || announced == null ? Optional.empty() : announced.resolve(channel, to);
            if (via.isPresent()) {
                // A participant another bridge announced: through the channel's AOR when that bridge is bound to it (the
                // registrar forks; only that bridge has the participant), else straight to that bridge's contact.
                boolean throughAor = sharedAor.isPresent() && (isBridgeContact(via.get()) || reachedThroughTarget.test(via.get()));
                return sender.send(envelope, route, List.of(throughAor ? sharedAor.get() : via.get()));
            }
            if (!member && sharedAor.isPresent() && dynamic.stream().anyMatch(m -> isBridgeContact(m.uri()))) {
                return sender.send(envelope, route, List.of(sharedAor.get()));
            }
            if (!member) {
                return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "'" + to + "' is not a SIP member of channel '"
                        + channel + "'");
            }
            return sender.send(envelope, route, List.of(to));
        }
        return sender.send(envelope, route, members());
    }

    /**
     * An envelope another bridge instance accepted (docs/cluster.md §2): this instance sends it only to the dynamic
     * members whose MESSAGEs it received, since no other instance knows them; the templated target and the static
     * members got it from the instance where it entered. Members {@code sentElsewhere} names are skipped, and so are
     * those reached through the target. An addressed envelope goes to its recipient when it is such a member.
     */
    @Override
    public DeliveryResult deliverToMembersHere(Envelope envelope, Predicate<String> sentElsewhere) {
        List<String> to = new java.util.ArrayList<>();
        for (SipMember m : membership.members(channel)) {
            String uri = m.uri();
            boolean wanted = envelope.isAddressed() ? uri.equals(envelope.recipient()) : !reachedThroughFixed(m);
            if (wanted && !fixedMembers.contains(uri) && !sentElsewhere.test(uri)) {
                to.add(uri);
            }
        }
        if (to.isEmpty()) {
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "no SIP member of channel '" + channel
                    + "' is held by this instance");
        }
        return sender.send(envelope, route, to);
    }

    /**
     * Where this bridge's participant announcements for the channel go now (docs/design.md §5.7): the channel's own AOR
     * when this bridge shares it with others on one registrar, and each member that announced to us and is not reached
     * through that AOR. Plain user agents (phones), which never announce, get none. Worker thread; never blocks.
     */
    List<String> announceTargets() {
        List<String> out = new java.util.ArrayList<>();
        sharedAor.ifPresent(out::add);
        if (announced != null) {
            for (SipMember m : membership.members(channel)) {
                boolean throughAor = sharedAor.isPresent() && (isBridgeContact(m.uri()) || reachedThroughTarget.test(m.uri()));
                if (!throughAor && announced.isAnnouncing(channel, m.uri())) {
                    out.add(m.uri());
                }
            }
        }
        return out;
    }

    /** A local participant joined or left (the hub tells links about local ones only): announced to the other bridges. */
    @Override
    public void presenceChanged(PresenceEvent event) {
        if (announcer != null && !event.participant().adapter().equals(adapter)) {
            announcer.localChanged(channel, event.participant(), event.kind() == PresenceEvent.Kind.JOINED);
        }
    }

    /** Whether {@code uri} is a bridge's contact for this channel's AOR: {@code sip:<escaped channel>@host:port}. */
    private boolean isBridgeContact(String uri) {
        String user = SipUserPart.escape(channel) + "@";
        return uri.startsWith("sip:" + user) || uri.startsWith("sips:" + user);
    }

    @Override
    public void close() {
        onClose.run();
    }
}
