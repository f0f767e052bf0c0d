package org.sigbridge.sip.session;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.sigbridge.sip.SipStats;
import org.sigbridge.sip.mapping.ConferenceInfo;
import org.sigbridge.sip.mapping.ConferenceInfoParser;
import org.sigbridge.sip.mapping.SipEnvelopeMapper;
import org.sigbridge.sip.mapping.SipMember;
import org.sigbridge.sip.mapping.SipUserPart;
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

    ConferenceInfoInbound(String adapter, SipEnvelopeMapper mapper, Function<String, Optional<String>> linkIds, Membership membership,
                          AnnouncedParticipants announced, ParticipantAnnouncer announcer, SipStats stats) {
        this.adapter = adapter;
        this.mapper = mapper;
        this.linkIds = linkIds;
        this.membership = membership;
        this.announced = announced;
        this.announcer = announcer;
        this.stats = stats;
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
        SipMember member = SipEnvelopeMapper.memberOf(request);
        membership.touch(channel.get(), member);
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        AnnouncedParticipants.Outcome outcome = announced.apply(channel.get(), member.uri(), callId, info);
        stats.conferenceInfoIn().increment();
        if (outcome == AnnouncedParticipants.Outcome.NEW_SENDER) {
            announcer.announceFull(channel.get()); // it may have announced before we were bound to the AOR: tell it ours
        }
        log.debug("{}: conference-info version {} ({}, {} users) from {} on '{}': {}", adapter, info.version(),
                info.full() ? "full" : "partial", info.users().size(), member.uri(), channel.get(), outcome);
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
