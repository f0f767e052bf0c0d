package org.sigbridge.interop.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.interop.xmpp.XmppBridge.WAIT;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.junit.EjabberdExtension;
import org.sigbridge.testkit.peers.EjabberdServer;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * The ejabberd row of the fault table (docs/reliability.md §3, docs/interop.md): a browser sends envelopes before,
 * during and after an ejabberd 23.01 restart (SIGTERM; port, users and spool kept); a native observer in the room
 * receives them. The {@link Ledger} of envelope ids must show lost = 0 (every envelope delivered, or its sender told
 * by id) and no duplicates. As in the Prosody rows, the restarted server refuses the bridge's login (its password is
 * changed for the restart) until an observer sits in the room again: a room holds no history for a late joiner, so
 * what the bridge sent into the re-created, empty room would reach nobody and prove nothing.
 *
 * <p>Tagged {@code heavy} (two ejabberd starts and a stop, about 25 s): the module's default run leaves it out; run
 * it with {@code -Dinterop.excludedGroups=} (docs/interop.md §4).
 */
@Tag("heavy")
@Timeout(90)
class EjabberdRestartLedgerTest {

    private static final int PER_PHASE = 5;
    private static final String LOCKED_OUT = "locked-out";

    @RegisterExtension
    static final EjabberdExtension EJABBERD = new EjabberdExtension();

    @Test
    void losesNothingItsSenderWasNotToldOfAcrossAnEjabberdRestart() throws Exception {
        Ledger ledger = new Ledger("xmpp: ejabberd 23.01 restart (SIGTERM)");
        EjabberdServer server = EJABBERD.server();
        String room = "restart-1";
        try (XmppBridge bridge = XmppBridge.start(server, "ej-restarted", "pending-max-age: 60s")) {
            NativeXmppUser before = NativeXmppUser.join(server, "bob", room, "bob");
            RecordingEndpoint browser = bridge.browser("browser-r", room);
            send(bridge, browser, room, ledger, "before");
            collect(ledger, before, PER_PHASE);
            before.close();

            changePassword(server, "alice", EjabberdServer.PASSWORD, LOCKED_OUT);
            server.stop();
            bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN");
            send(bridge, browser, room, ledger, "during");
            server.start();
            bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("not-authorized"), "a refused login");
            try (NativeXmppUser observer = NativeXmppUser.join(server, "bob", room, "observer")) {
                changePassword(server, "alice", LOCKED_OUT, EjabberdServer.PASSWORD);
                bridge.awaitLeg(s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 1 joined, 0 joining, 0 failing"),
                        "READY in the room again");
                send(bridge, browser, room, ledger, "after");
                settle(ledger, observer, browser);
            }
        }
        System.out.println(Ledger.header());
        System.out.println(ledger.row());
        assertEquals(List.of(), ledger.lost(), "lost (neither delivered nor reported to the sender)");
        assertEquals(List.of(), ledger.duplicated(), "delivered twice");
        assertEquals(3 * PER_PHASE, ledger.sentCount());
    }

    /** XEP-0077 §3.3 password change, logged in as {@code user} with its current password. */
    private static void changePassword(EjabberdServer server, String user, String from, String to) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, from)
                .setResource("password-change")
                .build());
        c.setReplyTimeout(5000);
        try {
            c.connect().login();
            AccountManager accounts = AccountManager.getInstance(c);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.changePassword(to);
        } finally {
            c.disconnect();
        }
    }

    /** Publishes {@value #PER_PHASE} envelopes from the browser; those the hub accepts are sent, refusals reported. */
    private static void send(XmppBridge bridge, RecordingEndpoint browser, String channel, Ledger ledger, String phase) {
        for (int i = 0; i < PER_PHASE; i++) {
            Envelope e = bridge.envelope(channel, "p", "{\"phase\":\"" + phase + "\",\"n\":" + i + "}", browser.id());
            ledger.sent(e.id());
            if (!(bridge.hub().publish(e, browser) instanceof PublishResult.Published)) {
                ledger.reported(e.id(), "refused by the hub"); // refused synchronously: the sender is told at once
            }
        }
    }

    private static void collect(Ledger ledger, NativeXmppUser observer, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            ledger.delivered(observer.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
        }
    }

    /** Waits until every id sent is delivered or reported (bounded), then takes what else arrived (duplicates). */
    private static void settle(Ledger ledger, NativeXmppUser observer, RecordingEndpoint browser) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ledger.settled() < ledger.sentCount() && System.nanoTime() < deadline) {
            for (DeliveryFailure f : browser.failures().drain()) {
                ledger.reported(f.envelopeId(), f.code().wire());
            }
            try {
                ledger.delivered(observer.next(Duration.ofMillis(200)).getExtension(SignalElement.class).id().orElseThrow());
            } catch (AssertionError | InterruptedException nothingYet) {
                if (nothingYet instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        observer.drain().forEach(m -> ledger.delivered(m.getExtension(SignalElement.class).id().orElseThrow()));
        browser.failures().drain().forEach(f -> ledger.reported(f.envelopeId(), f.code().wire()));
    }
}
