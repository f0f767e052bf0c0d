package org.sigbridge.sip.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sip.message.Request;
import org.sigbridge.sip.SipSettings.HostPort;
import org.sigbridge.sip.SipStats;
import org.sigbridge.sip.mapping.ConferenceInfo;
import org.sigbridge.sip.mapping.OutboundAddress;
import org.sigbridge.sip.mapping.SipEnvelopeMapper;
import org.sigbridge.sip.mapping.SipUserPart;
import org.sigbridge.sip.mapping.TransportChoice;
import org.sigbridge.spi.Participant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other bridges of each open channel which participants this bridge has there (docs/design.md §5.7): RFC 4575
 * {@code application/conference-info+xml} documents in MESSAGEs to the channel's announcement targets (its own AOR,
 * which the registrar forks to every bridge bound to it, and members that announce to us directly). Full state when
 * asked ({@link #announceFull}: the channel's AOR is registered, a new announcing peer appeared, the refresh every
 * {@code member-ttl}/2, which also keeps this bridge a member there), partial state ({@code state="partial"}, users
 * {@code state="deleted"} for leaves) for joins and leaves; the {@code version} rises by one per document (RFC 4575
 * §4.1), one Call-ID per (channel, target). One document per channel in flight: changes meanwhile are merged into the
 * next; after a failed send the next document is full state. Nothing here is an envelope: no page sees these MESSAGEs,
 * and a failure is logged and counted, not reported to anyone.
 *
 * <p>Threading: every public method may be called from any thread and only hands work to the adapter's worker, where
 * all state lives; request outcomes are handed back to it the same way. After {@link #close} nothing more is sent.
 */
public final class ParticipantAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(ParticipantAnnouncer.class);

    private final String adapter;
    private final String bridgeName;
    private final String domain;
    private final Optional<HostPort> proxy;
    private final boolean enabled;
    private final SipEnvelopeMapper mapper;
    private final ClientRequests requests;
    private final ScheduledExecutorService worker;
    private final SipStats stats;
    private final Supplier<String> node;
    private final Map<String, State> states = new LinkedHashMap<>();
    private final Set<String> callIds = ConcurrentHashMap.newKeySet();

    /** One open channel's announcement state; worker-confined. */
    private static final class State {
        final String channel;
        final Supplier<List<String>> targets;
        final TransportChoice transport;
        final LinkedHashMap<String, Participant> local = new LinkedHashMap<>();
        final LinkedHashMap<String, ConferenceInfo.User> pending = new LinkedHashMap<>();
        final Map<String, Target> conversations = new LinkedHashMap<>();
        boolean fullWanted;
        /** A target may have missed a document: the next one, whenever it goes, is full state. */
        boolean mustBeFull;
        boolean closing;
        int inFlight;
        long version;

        State(String channel, Supplier<List<String>> targets, TransportChoice transport) {
            this.channel = channel;
            this.targets = targets;
            this.transport = transport;
        }
    }

    /** The conversation with one target: RFC 3428 requests outside a dialog sharing a Call-ID, CSeq rising. */
    private static final class Target {
        final String callId;
        final String fromTag = Branches.tag();
        long cseq;

        Target(String callId) {
            this.callId = callId;
        }
    }

    /**
     * @param enabled {@code announce-participants}: when false nothing is ever sent (what others announce is still read)
     * @param node    this instance's node id when it is an instance of a cluster, else {@code null}; asked per document
     *                and written into it, so that the other instances of the cluster tell it from another bridge's
     *                (docs/design.md §5.7)
     */
    public ParticipantAnnouncer(String adapter, String bridgeName, String domain, Optional<HostPort> proxy, boolean enabled,
                                SipEnvelopeMapper mapper, ClientRequests requests, ScheduledExecutorService worker, SipStats stats,
                                Supplier<String> node) {
        this.adapter = adapter;
        this.bridgeName = bridgeName;
        this.domain = domain;
        this.proxy = proxy;
        this.enabled = enabled;
        this.mapper = mapper;
        this.requests = requests;
        this.worker = worker;
        this.stats = stats;
        this.node = node;
    }

    /**
     * The channel's link opened. Nothing is sent until {@link #announceFull} (the caller asks once the channel's AOR is
     * registered, or at once when it registers none).
     *
     * @param targets where documents go now, asked each time one is sent (worker thread; must not block)
     */
    public void opened(String channel, Supplier<List<String>> targets, TransportChoice transport) {
        onWorker(() -> {
            State previous = states.put(channel, new State(channel, targets, transport));
            if (previous != null) {
                previous.closing = true; // its last outcomes find it replaced and send nothing more
                previous.fullWanted = false;
                previous.pending.clear();
            }
        });
    }

    /** A local participant joined or left the channel: a partial document, or merged into the next one. */
    public void localChanged(String channel, Participant participant, boolean joined) {
        onWorker(() -> {
            State s = states.get(channel);
            if (s == null || s.closing) {
                return;
            }
            boolean changed = joined ? !participant.equals(s.local.put(participant.id(), participant))
                    : s.local.remove(participant.id()) != null;
            if (changed) {
                s.pending.put(participant.id(), new ConferenceInfo.User(participant.id(), participant.name(), !joined));
                sendNext(s);
            }
        });
    }

    /** Sends the channel's full state next (now, or when the document in flight is answered). */
    public void announceFull(String channel) {
        onWorker(() -> {
            State s = states.get(channel);
            if (s != null && !s.closing) {
                s.fullWanted = true;
                sendNext(s);
            }
        });
    }

    /** Worker: every open channel's full state again (the refresh, every {@code member-ttl}/2). */
    public void refreshAll() {
        for (State s : new ArrayList<>(states.values())) {
            if (!s.closing) {
                s.fullWanted = true;
                sendNext(s);
            }
        }
    }

    /** The channel's link closed: a last full state with nobody in it, then the channel's state goes. */
    public void closed(String channel) {
        onWorker(() -> {
            State s = states.get(channel);
            if (s == null || s.closing) {
                return;
            }
            s.local.clear();
            s.pending.clear();
            s.fullWanted = s.version > 0; // only whoever was told anything needs telling that nobody is left
            s.closing = true;
            sendNext(s);
            if (s.inFlight == 0) {
                drop(s);
            }
        });
    }

    /** Any thread: whether a Call-ID is one of our announcement conversations (a MESSAGE the registrar forked back to us). */
    public boolean isOwnCallId(String callId) {
        return callIds.contains(callId);
    }

    private void sendNext(State s) {
        if (!enabled || s.inFlight > 0 || (!s.fullWanted && s.pending.isEmpty())) {
            return;
        }
        List<String> targets = s.targets.get();
        if (targets.isEmpty()) {
            s.pending.clear();
            s.fullWanted = false;
            s.mustBeFull = true; // whoever appears later gets full state, not a change to a state it never had
            return;
        }
        boolean full = s.fullWanted || s.mustBeFull;
        List<ConferenceInfo.User> users = new ArrayList<>();
        if (full) {
            s.local.values().forEach(p -> users.add(new ConferenceInfo.User(p.id(), p.name(), false)));
        } else {
            users.addAll(s.pending.values());
        }
        s.fullWanted = false;
        s.mustBeFull = false;
        s.pending.clear();
        String entity = "sip:" + SipUserPart.escape(s.channel) + "@" + domain;
        byte[] body = new ConferenceInfo(entity, full, ++s.version, users, nodeId()).write(domain).getBytes(StandardCharsets.UTF_8);
        if (body.length > mapper.maxBodyBytes()) {
            log.warn("{}: the participants of channel '{}' ({} bytes of conference-info) exceed max-body-bytes {}; other bridges "
                    + "are not told of them; raise max-body-bytes", adapter, s.channel, body.length, mapper.maxBodyBytes());
            return;
        }
        for (String uri : targets) {
            Target t = s.conversations.computeIfAbsent(uri, u -> new Target(Branches.callId(domain)));
            callIds.add(t.callId);
            Request request;
            try {
                request = mapper.toConferenceInfo(bridgeName, s.channel, body,
                        new OutboundAddress(uri, t.callId, t.fromTag, ++t.cseq, Branches.branch(), proxy, s.transport));
            } catch (IllegalArgumentException e) {
                log.warn("{}: cannot announce the participants of channel '{}' to {}: {}", adapter, s.channel, uri, e.getMessage());
                continue;
            }
            s.inFlight++;
            log.debug("{}: conference-info version {} ({}) of channel '{}' to {}", adapter, s.version, full ? "full" : "partial",
                    s.channel, uri);
            requests.send(request, (status, reason, response) -> onWorker(() -> done(s, uri, status, reason)));
        }
    }

    /** This instance's node id for a document, or {@code null} off a cluster (or for one that is no node id). */
    private String nodeId() {
        String n = node.get();
        return n != null && ConferenceInfo.isNodeId(n) ? n : null;
    }

    private void done(State s, String uri, int status, String reason) {
        s.inFlight--;
        if (status >= 200 && status < 300) {
            stats.conferenceInfoSent().increment();
        } else {
            stats.conferenceInfoFailures().increment();
            log.debug("{}: conference-info of channel '{}' to {} failed: {} {}; the next one carries full state", adapter,
                    s.channel, uri, status, reason);
            s.mustBeFull = true; // not resent now: the next change or the refresh sends it, no loop against a failing peer
        }
        if (s.inFlight == 0) {
            sendNext(s);
            if (s.closing && s.inFlight == 0) {
                drop(s);
            }
        }
    }

    private void drop(State s) {
        if (states.get(s.channel) == s) {
            states.remove(s.channel);
        }
        s.conversations.values().forEach(t -> callIds.remove(t.callId));
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // the adapter is closing: nothing more is announced
        }
    }
}
