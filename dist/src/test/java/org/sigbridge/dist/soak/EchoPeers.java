package org.sigbridge.dist.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * The soak's back-end people, one thread each: Smack occupants of the routed MUC rooms and a JAIN-SIP user agent
 * registered at Kamailio. Each records every token it receives as delivered to itself and answers it with the echo
 * token ({@code tok-…e}, whose entries it opens with {@link SoakLedger#echoing} first) — in the room, or by a MESSAGE to
 * the channel's AOR, which the bridge registered when the channel opened. A MESSAGE the bridge does not accept
 * (non-2xx) reports the echo to the ledger: its sender was told.
 * {@link #close()} stops the threads (not the peers, which the test owns).
 */
final class EchoPeers implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("tok-\\d+-\\d+-\\d+(?![0-9e])");
    private static final Pattern CHANNEL = Pattern.compile("\"channel\":\"([^\"]+)\"");
    private static final Duration TURN = Duration.ofMillis(500);

    private static final int REMEMBERED = 10_000;

    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> echoed = new LinkedHashSet<>();
    private volatile boolean running = true;

    /** Starts an echo thread for {@code occupant}, recorded in the ledger as {@code name}. */
    void xmpp(NativeXmppUser occupant, String name, SoakLedger ledger) {
        start("soak-echo-" + name, () -> {
            while (running) {
                Message m;
                try {
                    m = occupant.next(TURN);
                } catch (AssertionError quiet) {
                    continue;
                }
                for (String token : tokens(m.getBody())) {
                    ledger.delivered(token, name);
                    if (!firstTime(token)) {
                        continue;
                    }
                    String echo = ledger.echoing(token);
                    try {
                        occupant.say("{\"sender\":\"" + name + "\",\"k\":\"" + echo + "\"}");
                    } catch (Exception e) { // the echo's sender knows it failed
                        System.err.println(name + " could not echo " + token + ": " + e);
                        ledger.reported(echo, "client: echo not sent");
                    }
                }
            }
        });
    }

    /** Starts an echo thread for {@code agent}, recorded in the ledger as {@code name}. */
    void sip(SipUserAgent agent, String name, SoakLedger ledger) {
        start("soak-echo-" + name, () -> {
            while (running) {
                ReceivedSipMessage m = agent.received().poll(TURN.toMillis(), TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                Matcher channel = CHANNEL.matcher(m.body());
                for (String token : tokens(m.body())) {
                    ledger.delivered(token, name);
                    if (firstTime(token) && channel.find(0)) {
                        String echo = ledger.echoing(token);
                        try {
                            int status = agent.sendMessage(channel.group(1), "application/json", "{\"k\":\"" + echo + "\"}",
                                    SipTransport.UDP, Duration.ofSeconds(20));
                            if (status / 100 != 2) {
                                ledger.reported(echo, "SIP " + status);
                            }
                        } catch (RuntimeException e) { // no final answer: the echo's sender knows it was not confirmed
                            System.err.println(name + " could not echo " + token + ": " + e);
                            ledger.reported(echo, "client: echo not confirmed");
                        }
                    }
                }
            }
        });
    }

    /**
     * Whether {@code token} is new to the echo peers: a repeated delivery (a SIP MESSAGE retransmitted over UDP whose
     * first copy the UA already took) is recorded as a duplicate in the ledger but echoed once. Keeps the last
     * {@value #REMEMBERED} tokens.
     */
    private synchronized boolean firstTime(String token) {
        if (!echoed.add(token)) {
            return false;
        }
        if (echoed.size() > REMEMBERED) {
            echoed.remove(echoed.iterator().next());
        }
        return true;
    }

    /**
     * The distinct tokens of one message: a MESSAGE's body is the whole envelope (conf/reference/sip.md), which names an
     * envelope socket's token twice, as its id and inside its message — one delivery, not two.
     */
    private static Set<String> tokens(String body) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(body == null ? "" : body);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private void start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(name + " stopped", e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(5_000);
        }
    }

    private interface Body {
        void run() throws Exception;
    }
}
