package org.sigbridge.sip;

import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.sip.mapping.SipEnvelopeMapper;
import org.sigbridge.sip.mapping.SipUserPart;
import org.sigbridge.sip.session.AnnouncedParticipants;
import org.sigbridge.sip.session.ClientRequests;
import org.sigbridge.sip.session.InboundHandler;
import org.sigbridge.sip.session.LegReporter;
import org.sigbridge.sip.session.Membership;
import org.sigbridge.sip.session.OutboundSender;
import org.sigbridge.sip.session.ParticipantAnnouncer;
import org.sigbridge.sip.session.ProxyKeepalive;
import org.sigbridge.sip.session.Registration;
import org.sigbridge.sip.session.SipDispatcher;
import org.sigbridge.sip.session.TlsPeers;
import org.sigbridge.sip.session.TlsProbe;
import org.sigbridge.sip.stack.SipStackRunner;
import org.sigbridge.spi.Adapter;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.support.NamedThreads;
import org.sigbridge.support.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP leg: owns one JAIN-SIP stack, one worker thread ({@code sip-<name>-worker}: sends, refreshes,
 * expiries) and the parts that use them. Lifecycle per {@link Adapter}: {@link #start} binds UDP and TCP
 * (TLS) and starts registering in the background; {@link #close} un-REGISTERs (bounded), reports queued
 * envelopes as {@code shutting_down}, stops the stack and the worker and leaves no thread behind.
 */
public final class SipAdapter implements Adapter, Backend {

    private static final Logger log = LoggerFactory.getLogger(SipAdapter.class);
    private static final Duration UNREGISTER_WAIT = Duration.ofSeconds(2);

    private final String name;
    private final SipSettings settings;
    private final SipStats stats = new SipStats();
    private final AtomicLong linkIds = new AtomicLong();
    private final ConcurrentHashMap<String, SipChannelLink> links = new ConcurrentHashMap<>();
    private final SipDispatcher dispatcher = new SipDispatcher();
    private SipStackRunner stack;
    private ScheduledExecutorService worker;
    private LegReporter leg;
    private Membership membership;
    private AnnouncedParticipants announced;
    private ParticipantAnnouncer announcer;
    private OutboundSender sender;
    private InboundHandler inbound;
    private Optional<Registration> registration = Optional.empty();
    /** Channel AOR registrations by channel, while the channel is open. */
    private final ConcurrentHashMap<String, Registration> channelRegistrations = new ConcurrentHashMap<>();
    private ClientRequests requests;
    private TlsPeers tlsPeers;
    private Metrics.Registration metrics;
    private boolean closed;

    public SipAdapter(String name, SipSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    public SipSettings settings() {
        return settings;
    }

    /** Counters for metrics. */
    public SipStats stats() {
        return stats;
    }

    @Override
    public synchronized void start(AdapterContext context) throws AdapterStartException {
        leg = new LegReporter(name, "listening on " + transportsText() + " " + settings.listenHost() + ":" + settings.listenPort(),
                settings.registers(), context::legState);
        leg.starting();
        metrics = SipMetrics.register(context.metrics(), name, stats, links::size);
        stack = SipStackRunner.start(name, settings, dispatcher, stats.refused()::increment);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, NamedThreads.named("sip-" + name + "-worker"));
        executor.setRemoveOnCancelPolicy(true); // request timers are cancelled on every answer: drop them at once
        worker = executor;
        Optional<AuthenticationHelper> auth = Optional.ofNullable(settings.password()).map(p -> stack.authenticationHelper(
                (ct, realm) -> credentials(realm)));
        requests = new ClientRequests(stack.provider(), worker, settings.requestTimeout(), auth);
        stack.onTlsRefusal(requests::tlsRefused);
        tlsPeers = new TlsPeers(name, this::configuredTlsPeer, worker, leg, settings.registerBackoffCap(),
                new TlsProbe(settings, stack, requests));
        requests.reportTlsTo(tlsPeers);
        SipEnvelopeMapper mapper = new SipEnvelopeMapper(stack.messageFactory(), stack.headerFactory(), stack.addressFactory(),
                new SipEnvelopeMapper.LocalAddress(settings.domain(), settings.listenHost(), settings.listenPort()), settings.maxBodyBytes());
        announced = new AnnouncedParticipants(name, context);
        // What a member announced leaves with it (docs/design.md §5.7).
        membership = new Membership(name, settings.memberTtl(), settings.maxMembersPerChannel(), context.clock(), context,
                announced::memberLeft);
        announcer = new ParticipantAnnouncer(name, context.bridgeName(), settings.domain(), settings.proxyAddress(),
                settings.announceParticipants(), mapper, requests, worker, stats,
                () -> context.sharedRecords().isPresent() ? context.nodeId() : null); // on a cluster: docs/design.md §5.7
        sender = new OutboundSender(name, settings, mapper, requests, worker, context, stats, (channel, uri) -> settings.registersChannels()
                && uri.equalsIgnoreCase("sip:" + SipUserPart.escape(channel) + "@" + settings.domain()));
        inbound = new InboundHandler(name, stack.provider(), stack.messageFactory(), stack.headerFactory(), mapper, context, membership,
                channel -> Optional.ofNullable(links.get(channel)).map(SipChannelLink::id),
                callId -> sender.isOwnCallId(callId) || announcer.isOwnCallId(callId),
                new TokenBucket(settings.maxInboundPerSecond(), settings.maxInboundPerSecond(), System::nanoTime), stats,
                announced, announcer);
        dispatcher.bind(inbound, requests);
        if (settings.registers()) {
            registration = Optional.of(new Registration(settings, settings.username(), stack, requests, worker, leg, true, stats));
        }
        settings.proxyAddress().ifPresent(proxy ->
                new ProxyKeepalive(settings, proxy, stack, requests, worker, leg, this::allRegistrations).start());
        long sweepMillis = Math.max(250, Math.min(5_000, settings.memberTtl().toMillis() / 4));
        worker.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        // Full state every member-ttl/2: other bridges keep this one (and what it announced) as a member meanwhile.
        long refreshMillis = Math.max(250, settings.memberTtl().toMillis() / 2);
        worker.scheduleWithFixedDelay(announcer::refreshAll, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        registration.ifPresentOrElse(Registration::start, () -> leg.registered(true, null));
        log.debug("{}: JAIN-SIP stack {} started", name, stack.name());
    }

    private List<Registration> allRegistrations() {
        List<Registration> all = new ArrayList<>(channelRegistrations.values());
        registration.ifPresent(all::add);
        return all;
    }

    private UserCredentials credentials(String realm) {
        return new UserCredentials() {
            @Override
            public String getUserName() {
                return settings.username();
            }

            @Override
            public String getPassword() {
                return settings.password().reveal();
            }

            @Override
            public String getSipDomain() {
                return realm == null ? settings.domain() : realm;
            }
        };
    }

    private void sweep() {
        membership.expire();
        sender.expireIdle();
        // A failing TLS peer no member uses any more is no longer probed (docs/operations.md, readiness).
        tlsPeers.retain(peer -> membership.anyMember(uri -> TlsPeers.peerOfUri(uri).filter(peer::equals).isPresent()));
    }

    /**
     * Whether a TLS peer ({@code host:port}) is one the configuration names, so that its failure counts for the leg's
     * readiness: the outbound proxy, the registrar, or the route target or a static member of an open channel. A dynamic
     * member (a UA that wrote from a {@code sips:} contact) is not. Worker thread ({@link TlsPeers}).
     */
    private boolean configuredTlsPeer(String peer) {
        if (settings.proxyAddress().map(p -> p.toString().equals(peer)).orElse(false)
                || ((settings.registers() || settings.registersChannels()) && settings.registrar().toString().equals(peer))) {
            return true;
        }
        for (SipChannelLink link : links.values()) {
            for (String uri : link.fixedMembers()) {
                if (TlsPeers.peerOfUri(uri).filter(peer::equals).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder(name).append(": listening on ").append(transportsText()).append(' ')
                .append(settings.listenHost()).append(':').append(settings.listenPort());
        settings.tlsSettings().ifPresent(t -> sb.append(" (tls ").append(t.port()).append(')'));
        sb.append(", domain ").append(settings.domain());
        registration.ifPresent(r -> sb.append(r.isRegistered() ? ", registered as " : ", registering as ").append(r.aor())
                .append(" via ").append(settings.registrar()));
        if (registration.isEmpty()) {
            settings.proxyAddress().ifPresent(p -> sb.append(", outbound proxy ").append(p));
        }
        lines.add(sb.toString());
        return lines;
    }

    private String transportsText() {
        return settings.tls() == null ? "udp+tcp" : "udp+tcp+tls";
    }

    @Override
    public Optional<Backend> backend() {
        return Optional.of(this);
    }

    /**
     * The SIP address diagnostics and the demo show for a channel: the route's member target, else the channel's own
     * AOR ({@code sip:<channel>@<domain>}, user part escaped) that the bridge registers. Any thread; pure.
     */
    @Override
    public String upstreamAddress(RouteMatch match) {
        return SipRoute.of(match.leg().orElseThrow(), settings).targetFor(match)
                .orElse("sip:" + SipUserPart.escape(match.channel()) + "@" + settings.domain());
    }

    @Override
    public ChannelLink open(RouteMatch match) {
        SipRoute route = SipRoute.of(match.leg().orElseThrow(), settings);
        String channel = match.channel();
        SipChannelLink[] self = new SipChannelLink[1];
        Optional<String> ownAor = route.targetFor(match).filter(t -> settings.registersChannels()
                && t.equalsIgnoreCase("sip:" + SipUserPart.escape(channel) + "@" + settings.domain()));
        boolean targetIsOwnAor = ownAor.isPresent();
        self[0] = new SipChannelLink("sip:" + name + ":" + linkIds.incrementAndGet(), name, match, route, membership, sender,
                uri -> targetIsOwnAor && Optional.ofNullable(channelRegistrations.get(channel)).map(r -> r.bindsOrAsk(uri)).orElse(false),
                ownAor, announced, announcer, () -> linkClosed(channel, self[0]));
        links.put(channel, self[0]);
        SipChannelLink link = self[0];
        announcer.opened(channel, link::announceTargets, route.transport());
        if (settings.registersChannels()) {
            // RFC 3261 §10: bind sip:<channel>@domain to us, so UAs reach the channel through the registrar.
            Registration r = new Registration(settings, SipUserPart.escape(channel), stack, requests, worker, leg, false, stats);
            Registration previous = channelRegistrations.put(channel, r);
            if (previous != null) {
                previous.unregisterLater();
            }
            r.start();
            // The channel's side is open once its AOR is bound: then the other bridges on it hear our full state.
            r.whenRegistered().thenRun(() -> announcer.announceFull(channel));
        } else {
            announcer.announceFull(channel);
        }
        if (membership.hasMembers(channel)) {
            // Members outlive a closed channel for their TTL; tell the hub again once the channel is in its table.
            try {
                worker.schedule(() -> {
                    membership.announce(channel);
                    announced.reannounce(channel);
                }, 100, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
        return self[0];
    }

    private void linkClosed(String channel, SipChannelLink link) {
        if (links.remove(channel, link)) {
            announcer.closed(channel);
            Registration r = channelRegistrations.remove(channel);
            if (r != null) {
                r.unregisterLater();
            }
        }
    }

    /**
     * Completes when the channel's AOR {@code sip:<channel>@domain} is registered (now or next), for
     * tests and admin; empty when the channel is not open or channels are not registered.
     */
    public Optional<CompletionStage<Void>> channelRegistered(String channel) {
        return Optional.ofNullable(channelRegistrations.get(channel)).map(Registration::whenRegistered);
    }

    /**
     * The other contacts ({@code user@host:port}) the registrar listed as bound to the channel's AOR when it last
     * answered our REGISTER, e.g. another bridge; members among them get no MESSAGE of their own, since what goes to
     * the AOR reaches them. Empty when the channel is not open or channels are not registered. For tests and admin.
     */
    public Set<String> channelBindings(String channel) {
        return Optional.ofNullable(channelRegistrations.get(channel)).map(Registration::otherBindings).orElse(Set.of());
    }

    /**
     * The SIP URIs a broadcast envelope on {@code channel} goes to now, each user agent once ({@link SipChannelLink});
     * empty when the channel is not open. For tests and admin; any thread.
     */
    public List<String> recipients(String channel) {
        return Optional.ofNullable(links.get(channel)).map(SipChannelLink::members).orElse(List.of());
    }

    @Override
    public CompletionStage<Boolean> probePresence(RouteMatch match) {
        return CompletableFuture.completedFuture(membership != null && membership.hasMembers(match.channel()));
    }

    @Override
    public void drain(Duration grace) {
        InboundHandler in;
        OutboundSender out;
        synchronized (this) {
            in = inbound;
            out = sender;
        }
        if (in != null) {
            in.draining();
        }
        if (out != null) {
            out.drain(grace);
        }
    }

    /**
     * Every binding this bridge holds, the channels' AORs and its own, is removed ({@code Expires: 0}, RFC 3261
     * §10.2.2) before the worker stops, so that the registrar stops forking to a bridge that is gone; the answers are
     * awaited together, for at most {@link #UNREGISTER_WAIT}, and the ones not in by then are logged.
     */
    private void unregisterAll() {
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        channelRegistrations.values().forEach(r -> answers.add(r.unregister()));
        registration.ifPresent(r -> answers.add(r.unregister()));
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(UNREGISTER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.info("{}: {} of {} un-REGISTERs not answered within {}; those bindings expire at the registrar", name,
                    answers.stream().filter(f -> !f.isDone()).count(), answers.size(), UNREGISTER_WAIT);
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("{}: un-REGISTER failed", name, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (metrics != null) {
            metrics.close();
        }
        if (inbound != null) {
            inbound.draining();
        }
        unregisterAll();
        if (sender != null) {
            sender.close();
        }
        // The worker goes first: a keepalive or refresh must not run against a stopping stack.
        if (worker != null) {
            worker.shutdownNow();
            try {
                if (!worker.awaitTermination(2, TimeUnit.SECONDS)) {
                    log.warn("{}: worker thread did not stop within 2 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dispatcher.bind(null, null);
        if (stack != null) {
            stack.close();
        }
        if (leg != null) {
            leg.closed();
        }
    }
}
