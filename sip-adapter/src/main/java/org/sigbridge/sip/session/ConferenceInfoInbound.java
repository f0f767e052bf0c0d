package org.sigbridge.sip.session;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.sigbridge.sip.SipStats;
import org.sigbridge.sip.mapping.ConferenceInfo;
import org.sigbridge.sip.mapping.ConferenceInfoParser;
import org.sigbridge.sip.mapping.SipEnvelopeMapper;
import org.sigbridge.sip.mapping.SipMember;
import org.sigbridge.sip.mapping.SipSender;
import org.sigbridge.sip.mapping.SipUserPart;
import org.sigbridge.spi.AdapterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An incoming MESSAGE whose body is an RFC 4575 document (docs/design.md §5.7): another bridge telling which
 * participants it has on the channel the Request-URI names. Never an envelope: the sender becomes (stays) a member of
 * the channel, its participants become the channel's remote participants ({@link AnnouncedParticipants}), and the first
 * document of a sender makes this bridge announce its own full state, so the two learn of each other whichever
 * registered first. Answers: 200; 404 when the channel is not open here; 413 above {@code max-body-bytes}; 400 for a
 * body that is not a conference-info document this bridge can read (malformed XML, a DOCTYPE, no version, too many
 * users); 488 for a well-formed document about another conference than the channel addressed. Every refusal is counted.
 *
 * <p>On a cluster (docs/design.md §5.7, docs/cluster.md §2): a document that names the sender's node id
 * ({@link ConferenceInfo#node}) of this cluster's instance (this instance's own, or one holding its lease in Redis, asked
 * once per node id and remembered) is answered 200 and otherwise ignored: that instance's participants reach this one
 * through the cluster already, so neither the sender becomes a member nor its users remote participants, and if an
 * earlier document of it was applied before it was known, that member is forgotten with everything it announced. While
 * the answer about an unknown node id is pending the MESSAGE is answered 200 and the document applied (or ignored) when
 * it comes; when the cluster cannot be asked it is applied, as another bridge's.
 *
 * <p>Runs on JAIN-SIP threads, called by {@link InboundHandler} after its rate limit and retransmission checks; never
 * blocks.
 */
final class ConferenceInfoInbound {

    private static final Logger log = LoggerFactory.getLogger(ConferenceInfoInbound.class);

    private final String adapter;
    private final SipEnvelopeMapper mapper;
    private final Function<String, Optional<String>> linkIds;
    private final Membership membership;
    private final AnnouncedParticipants announced;
    private final ParticipantAnnouncer announcer;
    private final SipStats stats;
    private final AdapterContext hub;
    /** Node ids known to be instances of this cluster (a node id is one process's: a few per instance restart). */
    private final Set<String> sameCluster = ConcurrentHashMap.newKeySet();
    /** What the other instances of this cluster announce through the shared AOR. */
    private final ClusterPeerPages peerPages = new ClusterPeerPages();

    ConferenceInfoInbound(String adapter, SipEnvelopeMapper mapper, Function<String, Optional<String>> linkIds, Membership membership,
                          AnnouncedParticipants announced, ParticipantAnnouncer announcer, SipStats stats, AdapterContext hub) {
        this.adapter = adapter;
        this.mapper = mapper;
        this.linkIds = linkIds;
        this.membership = membership;
        this.announced = announced;
        this.announcer = announcer;
        this.stats = stats;
        this.hub = hub;
    }

    Reply receive(Request request) {
        Optional<String> channel = mapper.channelOf(request);
        if (channel.isEmpty()) {
            return refused(404, "Not Found (no channel here)");
        }
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0) {
            return refused(400, "Bad Request (empty conference-info body)");
        }
        if (body.length > mapper.maxBodyBytes()) {
            return refused(413, "Request Entity Too Large (limit " + mapper.maxBodyBytes() + " bytes)");
        }
        ConferenceInfoParser.Result parsed = ConferenceInfoParser.parse(body);
        if (parsed instanceof ConferenceInfoParser.Malformed bad) {
            log.debug("{}: conference-info for '{}' refused: {}", adapter, channel.get(), bad.reason());
            return refused(400, "Bad Request (conference-info: " + bad.reason() + ")");
        }
        ConferenceInfo info = ((ConferenceInfoParser.Parsed) parsed).info();
        if (!names(info.entity(), channel.get())) {
            return refused(488, "Not Acceptable Here (conference-info is about " + info.entity() + ", not channel "
                    + SipUserPart.escape(channel.get()) + ")");
        }
        if (linkIds.apply(channel.get()).isEmpty()) {
            stats.refused().increment();
            return new Reply(404, "Not Found (no such channel)", Map.of());
        }
        SipMember member = SipSender.memberOf(request);
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        String node = info.node();
        if (node == null) {
            return apply(channel.get(), member, callId, info);
        }
        if (sameCluster.contains(node)) {
            return sameCluster(channel.get(), member, node, callId, info);
        }
        CompletableFuture<Boolean> ours = hub.isClusterInstance(node).toCompletableFuture();
        if (ours.isDone()) {
            return Boolean.TRUE.equals(ours.getNow(false)) ? sameCluster(channel.get(), member, node, callId, info)
                    : apply(channel.get(), member, callId, info);
        }
        ours.whenComplete((yes, failure) -> {
            if (Boolean.TRUE.equals(yes)) {
                sameCluster(channel.get(), member, node, callId, info);
            } else if (linkIds.apply(channel.get()).isPresent()) {
                apply(channel.get(), member, callId, info);
            }
        });
        return new Reply(200, "OK", Map.of());
    }

    /** A document of another instance of this cluster: remembered, answered and left unapplied. Any thread. */
    private Reply sameCluster(String channel, SipMember member, String node, String callId, ConferenceInfo info) {
        peerPages.apply(channel, node, callId, info);
        if (sameCluster.size() >= 1024) {
            sameCluster.clear(); // bounded; a node id forgotten is asked again
        }
        if (sameCluster.add(node)) {
            log.info("{}: node {} ({}) is an instance of this cluster: its conference-info documents are ignored, its"
                    + " participants come through the cluster", adapter, node, member.uri());
        }
        if (membership.isMember(channel, member.uri()) && announced.isAnnouncing(channel, member.uri())) {
            membership.forget(channel, member); // applied before it was known: its participants leave with it
        }
        stats.conferenceInfoIn().increment();
        return new Reply(200, "OK (same cluster)", Map.of());
    }

    /**
     * Whether page {@code id} of {@code channel} is one that another instance of this cluster announced through the
     * channel's shared AOR: an addressed MESSAGE for it that reached this instance was forked to that instance too, which
     * delivers it (docs/cluster.md §2). Any thread.
     */
    boolean onAnotherInstanceBoundToTheAor(String channel, String id) {
        return peerPages.announces(channel, id);
    }

    /** A document of another bridge: its sender is a member and its users are remote participants. Any thread. */
    private Reply apply(String channel, SipMember member, String callId, ConferenceInfo info) {
        membership.touch(channel, member);
        AnnouncedParticipants.Outcome outcome = announced.apply(channel, member.uri(), callId, info);
        stats.conferenceInfoIn().increment();
        if (outcome == AnnouncedParticipants.Outcome.NEW_SENDER) {
            announcer.announceFull(channel); // it may have announced before we were bound to the AOR: tell it ours
        }
        log.debug("{}: conference-info version {} ({}, {} users) from {} on '{}': {}", adapter, info.version(),
                info.full() ? "full" : "partial", info.users().size(), member.uri(), channel, outcome);
        return new Reply(200, outcome == AnnouncedParticipants.Outcome.STALE ? "OK (stale conference-info version)" : "OK", Map.of());
    }

    /** Whether the conference entity is the channel's AOR: a SIP URI whose user part is the channel (any host). */
    private static boolean names(String entity, String channel) {
        String id = ConferenceInfo.idOf(entity);
        return id.equals(channel);
    }

    private Reply refused(int status, String reason) {
        stats.refused().increment();
        stats.conferenceInfoRefused().increment();
        return new Reply(status, reason, Map.of());
    }
}
