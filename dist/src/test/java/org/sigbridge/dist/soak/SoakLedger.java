package org.sigbridge.dist.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sigbridge.testkit.fault.Ledger;

/**
 * The soak's traffic ledger over testkit's {@link Ledger}: one entry per (token, receiver), where a token
 * ({@code tok-W-C-N}, an echo {@code tok-W-C-Ne}) travels inside a message and a receiver is a named client of a
 * cycle (or the XMPP/SIP echo peer). Receivers scan every frame they get for tokens ({@link #scan}); a sender that is
 * told of a failure by id marks every entry of that token reported ({@link #reported}). A cycle waits for its
 * entries with {@link #await}. Thread-safe: frames arrive on the clients' threads, which only record here.
 */
final class SoakLedger {

    private static final Pattern TOKEN = Pattern.compile("tok-\\d+-\\d+-\\d+e?");
    private static final Pattern ERROR_ID = Pattern.compile("\"id\":\"(tok-\\d+-\\d+-\\d+e?)\"");

    private final Ledger ledger = new Ledger("soak: every dialect, XMPP and SIP routes");
    private final Set<String> expected = new HashSet<>();
    private final Set<String> settled = new HashSet<>();
    private final AtomicLong deliveries = new AtomicLong();

    /** Records that {@code token} is owed to each of {@code receivers}; call before sending it. */
    synchronized void expect(String token, String... receivers) {
        for (String r : receivers) {
            String id = token + ">" + r;
            expected.add(id);
            ledger.sent(id);
        }
    }

    /** Every token in {@code frame} delivered to {@code receiver}; an error frame naming a token reports it. */
    void scan(String receiver, String frame) {
        if (frame.contains("\"error\"") || frame.contains("onDeliveryFailed")) {
            Matcher e = ERROR_ID.matcher(frame);
            while (e.find()) {
                reported(e.group(1), frame);
            }
        }
        Set<String> once = new LinkedHashSet<>(); // a frame may name a token twice (a PeerJS connectionId): one delivery
        Matcher m = TOKEN.matcher(frame);
        while (m.find()) {
            once.add(m.group());
        }
        once.forEach(t -> delivered(t, receiver));
    }

    synchronized void delivered(String token, String receiver) {
        String id = token + ">" + receiver;
        if (expected.contains(id)) {
            ledger.delivered(id);
            settled.add(id);
            deliveries.incrementAndGet();
            notifyAll();
        }
    }

    /** The sender was told {@code token} failed: every receiver's entry of it is settled as reported. */
    synchronized void reported(String token, String reason) {
        String prefix = token + ">";
        for (String id : expected) {
            if (id.startsWith(prefix)) {
                ledger.reported(id, reason.length() > 60 ? reason.substring(0, 60) : reason);
                settled.add(id);
            }
        }
        notifyAll();
    }

    /** Waits until each of {@code token}×{@code receivers} is delivered or reported; fails naming the missing ones. */
    synchronized void await(Collection<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                if (!settled.contains(id)) {
                    missing.add(id);
                }
            }
            long left = deadline - System.nanoTime();
            if (missing.isEmpty()) {
                return;
            }
            if (left <= 0) {
                throw new AssertionError("not delivered within " + timeout + ": " + missing);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The entries {@code token}→each receiver, for {@link #await}. */
    static List<String> ids(String token, String... receivers) {
        List<String> ids = new ArrayList<>();
        for (String r : receivers) {
            ids.add(token + ">" + r);
        }
        return ids;
    }

    long deliveries() {
        return deliveries.get();
    }

    Ledger ledger() {
        return ledger;
    }
}
