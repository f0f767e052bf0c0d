package org.sigbridge.testkit.bridge;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * Two whole bridges, {@code east} and {@code west}, each with a web adapter on its own port, whose channels matching one
 * pattern meet upstream: in one real Prosody MUC room per channel ({@link #throughProsody}, XMPP user {@code alice} for
 * east, {@code bob} for west; docs/design.md §4), or through one real Kamailio that forks each MESSAGE to both bridges
 * bound to the channel's AOR ({@link #throughKamailio}, docs/design.md §5); every other channel stays local. Tests load
 * pages from {@link #eastHttp} and {@link #westHttp}, and wait with {@link #awaitBothInRoom} before the pages call, since
 * each bridge joins its upstream room asynchronously after a page opened the channel.
 *
 * <p>Owned by the test thread; {@link #close()} stops both bridges.
 */
public final class BridgedPair implements AutoCloseable {

    private final String upstream;
    private final BridgeUnderTest east;
    private final BridgeUnderTest west;
    private final int eastPort;
    private final int westPort;

    private BridgedPair(String upstream, BridgeUnderTest east, int eastPort, BridgeUnderTest west, int westPort) {
        this.upstream = upstream;
        this.east = east;
        this.eastPort = eastPort;
        this.west = west;
        this.westPort = westPort;
    }

    /**
     * Two bridges whose channels matching {@code match} go to {@code {channel}@<muc service>} of {@code prosody};
     * {@code webExtra} adds lines (indented four spaces) to each web adapter, e.g. a {@code static-dir}.
     */
    public static BridgedPair throughProsody(ProsodyServer prosody, String match, String webExtra) throws Exception {
        String leg = """
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: %%s
                    password: %s
                    tls: disabled
                    muc-service: %s
                    room-grace: 1s
                routes:
                  - match: "%s"
                    to: xmpp
                    target: "{channel}@%s"
                  - match: "*"
                    to: local
                """.formatted(prosody.port(), prosody.domain(), ProsodyServer.PASSWORD, prosody.mucService(), match, prosody.mucService());
        return start("xmpp", leg.formatted("alice"), leg.formatted("bob"), webExtra);
    }

    /**
     * Two bridges whose channels matching {@code match} travel as SIP MESSAGEs to {@code sip:{channel}@<domain>} through
     * {@code kamailio}, each bridge registering every open channel's AOR there (users {@code east} and {@code west}); the
     * request timeout and keepalive are the defaults, so a loaded machine does not turn a slow answer into a failure
     * that a page would see.
     */
    public static BridgedPair throughKamailio(KamailioServer kamailio, String match, String webExtra) throws Exception {
        String leg = """
                  sip:
                    type: sip
                    listen-port: %%d
                    domain: %s
                    proxy: 127.0.0.1:%d
                    username: %%s
                routes:
                  - match: "%s"
                    to: sip
                  - match: "*"
                    to: local
                """.formatted(kamailio.domain(), kamailio.port(), match);
        return start("sip", leg.formatted(FreePorts.tcpAndUdp(), "east"), leg.formatted(FreePorts.tcpAndUdp(), "west"), webExtra);
    }

    private static BridgedPair start(String upstream, String eastLeg, String westLeg, String webExtra) throws Exception {
        int eastPort = FreePorts.tcpAndUdp();
        BridgeUnderTest east = BridgeUnderTest.fromYaml(yaml("east", eastPort, webExtra, eastLeg), Map.of());
        try {
            int westPort = FreePorts.tcpAndUdp();
            BridgeUnderTest west = BridgeUnderTest.fromYaml(yaml("west", westPort, webExtra, westLeg), Map.of());
            return new BridgedPair(upstream, east, eastPort, west, westPort);
        } catch (Exception | Error e) {
            east.close();
            throw e;
        }
    }

    private static String yaml(String name, int webPort, String webExtra, String leg) {
        return """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    host: 127.0.0.1
                    port: %d
                    demo: false
                %s%s""".formatted(name, webPort, webExtra.isEmpty() || webExtra.endsWith("\n") ? webExtra : webExtra + "\n", leg);
    }

    public BridgeUnderTest east() {
        return east;
    }

    public BridgeUnderTest west() {
        return west;
    }

    /** {@code http://127.0.0.1:<east's web port><pathAndQuery>}. */
    public URI eastHttp(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + eastPort + pathAndQuery);
    }

    /** {@code http://127.0.0.1:<west's web port><pathAndQuery>}. */
    public URI westHttp(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + westPort + pathAndQuery);
    }

    /**
     * Waits until {@code channel}, open on both bridges (a page or {@link #holdOpen} subscribed on each), is joined
     * upstream by both: through Prosody, each bridge sees the other's occupant among the channel's participants (so
     * what either sends reaches the other, and addressed delivery finds the other's pages); through Kamailio, each
     * bridge's REGISTER of the channel's AOR was answered (so Kamailio forks what either sends to both).
     *
     * @throws AssertionError naming the bridge that was not in the room within {@code timeout}
     */
    public void awaitBothInRoom(String channel, Duration timeout) throws Exception {
        for (BridgeUnderTest side : new BridgeUnderTest[] {east, west}) {
            String who = side == east ? "east" : "west";
            if (upstream.equals("xmpp")) {
                Poll.until(who + " sees the other bridge in the MUC room of channel '" + channel + "'", timeout,
                        () -> side.hub().participants(channel).stream().anyMatch(p -> p.adapter().equals("xmpp")));
            } else {
                Poll.until(who + " has registered the AOR of channel '" + channel + "' at Kamailio", timeout,
                        () -> channelRegistered(side, channel));
            }
        }
    }

    /**
     * Opens {@code channel} on both bridges with a quiet participant that accepts and drops what it gets, for pages
     * whose library asks the room for its members when it joins (signal-master's {@code join} answer is a snapshot of
     * the room: a bridge that has not joined the upstream room yet has no remote members to list). The holders are
     * participants of the room like any other and leave when the pair closes.
     */
    public void holdOpen(String channel) {
        for (BridgeUnderTest side : new BridgeUnderTest[] {east, west}) {
            Endpoint holder = new Holder(side.hub().endpointId("holder"));
            if (side.hub().subscribe(holder, channel) instanceof SubscribeResult.Refused refused) {
                throw new AssertionError("cannot hold channel '" + channel + "' open: " + refused);
            }
        }
    }

    /** Stops both bridges. */
    @Override
    public void close() {
        try {
            west.close();
        } finally {
            east.close();
        }
    }

    /**
     * Whether the SIP adapter's {@code channelRegistered(channel)} stage completed normally. Read reflectively: testkit
     * is below the SIP adapter in the module graph (its tests use testkit), so it cannot name the type.
     */
    private static boolean channelRegistered(BridgeUnderTest side, String channel) {
        Adapter sip = side.bridge().adapter("sip").orElseThrow(() -> new AssertionError("no sip adapter"));
        Optional<?> stage;
        try {
            Method registered = sip.getClass().getMethod("channelRegistered", String.class);
            stage = (Optional<?>) registered.invoke(sip, channel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the sip adapter has no channelRegistered(String): " + e, e);
        }
        return stage.map(s -> ((CompletionStage<?>) s).toCompletableFuture())
                .map(f -> f.isDone() && !f.isCompletedExceptionally()).orElse(false);
    }

    /** A participant that takes everything and keeps nothing. */
    private record Holder(String id) implements Endpoint {
        @Override
        public String adapter() {
            return "test";
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return DeliveryResult.DELIVERED;
        }
    }
}
