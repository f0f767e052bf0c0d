package org.sigbridge.dist.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's traffic ledger: one entry per (token, receiver), where a token ({@code tok-W-C-N}, an echo
 * {@code tok-W-C-Ne}) travels inside a message and a receiver is a named client of a cycle or an XMPP/SIP echo peer.
 * Every entry ends in exactly one state — delivered, reported to its sender by id, reported and delivered anyway,
 * or lost — and is duplicated when delivered more than once; {@link #table} prints the counts per route and sending
 * dialect (docs/reliability.md §5.1).
 *
 * <p>Reports: a sender that is told of a failure names the envelope id, which is the token itself (envelope sockets
 * give their own ids) or an id the bridge gave (SignalR's {@code Send} resolves with it, an envelope socket's frame
 * carries it); the ledger learns those ids from completions and received frames and maps a report to its token,
 * also when the report comes first. A back-end failure ({@code upstream_*}, {@code expired},
 * {@code no_such_recipient}) settles only the back-end receivers' entries (the web receivers got the envelope from
 * the hub); any other failure settles every receiver's entry. An echo is owed only once its echo peer has it: the
 * cycle declares the echo with {@link #expectEcho}, the peer opens its entries with {@link #echoing} before it
 * sends, and an echo whose original was reported to its sender (and never reached the peer) is owed to nobody.
 *
 * <p>Thread-safe (one monitor): frames arrive on the clients' threads, which only record here.
 */
final class SoakLedger {

    private static final char RS = 0x1e;
    private static final Pattern TOKEN = Pattern.compile("tok-\\d+-\\d+-\\d+e?");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern DETAIL = Pattern.compile("\"detail\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    private static final Set<String> BACK_END_CODES = Set.of("upstream_unavailable", "upstream_rejected", "upstream_timeout",
            "expired", "no_such_recipient");

    /** One (token, receiver). */
    private static final class Entry {
        final String group;
        final boolean backEnd;
        int deliveries;
        String reported;

        Entry(String group, boolean backEnd) {
            this.group = group;
            this.backEnd = backEnd;
        }

        boolean settled() {
            return deliveries > 0 || reported != null;
        }
    }

    /** An echo owed to {@code receivers} once {@code peer} has the original. */
    private record Echo(String group, String peer, List<String> receivers) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, List<String>> receiversOf = new HashMap<>();
    private final Map<String, String> senderOf = new HashMap<>();
    private final Map<String, Echo> echoes = new HashMap<>();
    private final Set<String> echoed = new LinkedHashSet<>();
    private final Map<String, String> tokenOfId = new HashMap<>();
    private final Map<String, String> pendingReports = new LinkedHashMap<>();
    private final Map<String, Integer> foreign = new TreeMap<>();
    private final Map<String, Integer> reasons = new TreeMap<>();
    private final AtomicLong deliveries = new AtomicLong();

    /**
     * Records that {@code token}, sent by {@code sender} in {@code group} (route / sending dialect), is owed to each
     * receiver; call before sending.
     */
    synchronized void expect(String group, String sender, String token, String... receivers) {
        senderOf.put(token, sender);
        List<String> names = receiversOf.computeIfAbsent(token, t -> new ArrayList<>());
        for (String r : receivers) {
            entries.put(token + ">" + r, new Entry(group, isBackEnd(r)));
            names.add(r);
        }
        tokenOfId.put(token, token);
    }

    /** Declares that {@code peer}, once it has {@code token}, echoes {@code token + "e"} to each of {@code receivers}. */
    synchronized void expectEcho(String group, String token, String peer, String... receivers) {
        echoes.put(token, new Echo(group, peer, List.of(receivers)));
    }

    /** The echo peer is about to echo {@code token}: opens the echo's entries (once). Returns the echo's token. */
    synchronized String echoing(String token) {
        Echo e = echoes.get(token);
        if (e != null && echoed.add(token)) {
            expect(e.group, e.peer, token + "e", e.receivers.toArray(String[]::new));
        }
        return token + "e";
    }

    /** Whether {@code receiver} is an echo peer (a back end's): an XMPP occupant {@code bob…} or the SIP agent. */
    private static boolean isBackEnd(String receiver) {
        return receiver.startsWith("bob") || receiver.equals("alice");
    }

    /**
     * One whole frame {@code receiver} got: an error report (an {@code error} object, SignalR's
     * {@code onDeliveryFailed}) settles the entries of the envelope it names; any other frame delivers every token in
     * it, and teaches the ledger the envelope id it carries.
     */
    void scan(String receiver, String frame) {
        if (frame.indexOf(RS) >= 0 && frame.indexOf(RS) < frame.length() - 1) { // SignalR records batched in one frame
            for (String record : frame.split(String.valueOf(RS))) {
                scan(receiver, record);
            }
            return;
        }
        if (frame.startsWith("{\"type\":3")) {
            return; // a SignalR completion: SignalRClient reads it
        }
        if (frame.contains("\"error\"") || frame.contains("onDeliveryFailed")) {
            Matcher id = ID.matcher(frame);
            Matcher code = CODE.matcher(frame);
            Matcher detail = DETAIL.matcher(frame);
            String reason = (code.find() ? code.group(1) : frame.length() > 60 ? frame.substring(0, 60) : frame)
                    + (detail.find() ? ": " + detail.group(1) : "");
            if (id.find()) {
                reportedId(id.group(1), reason);
            } else {
                synchronized (this) {
                    reasons.merge("report without id: " + reason, 1, Integer::sum);
                }
            }
            return;
        }
        Set<String> once = new LinkedHashSet<>(); // a frame may name a token twice (a PeerJS connectionId): one delivery
        Matcher m = TOKEN.matcher(frame);
        while (m.find()) {
            once.add(m.group());
        }
        Matcher id = ID.matcher(frame);
        if (once.size() == 1 && id.find()) {
            learnId(id.group(1), once.iterator().next());
        }
        once.forEach(t -> delivered(t, receiver));
    }

    /** The bridge named {@code token}'s envelope {@code envelopeId} (a SignalR completion, a received frame). */
    synchronized void learnId(String envelopeId, String token) {
        if (tokenOfId.putIfAbsent(envelopeId, token) == null) {
            String reason = pendingReports.remove(envelopeId);
            if (reason != null) {
                reported(token, reason);
            }
        }
    }

    /** A report by envelope id; kept until the id's token is known when it is not yet. */
    synchronized void reportedId(String envelopeId, String reason) {
        String token = tokenOfId.get(envelopeId);
        if (token == null) {
            pendingReports.put(envelopeId, reason);
        } else {
            reported(token, reason);
        }
    }

    synchronized void delivered(String token, String receiver) {
        Entry e = entries.get(token + ">" + receiver);
        if (e == null) {
            if (!receiver.equals(senderOf.get(token))) { // SignalR hubs answer their sender too (docs/dialects.md §9)
                foreign.merge(receiver, 1, Integer::sum);
            }
            return;
        }
        e.deliveries++;
        deliveries.incrementAndGet();
        notifyAll();
    }

    /**
     * The sender was told {@code token} failed with {@code reason} (an error code, or what the client saw): a back-end
     * failure settles the back-end receivers' entries, any other every receiver's.
     */
    synchronized void reported(String token, String reason) {
        boolean backEndOnly = BACK_END_CODES.stream().anyMatch(reason::startsWith);
        for (String r : receiversOf.getOrDefault(token, List.of())) {
            Entry e = entries.get(token + ">" + r);
            if (e.reported == null && (!backEndOnly || e.backEnd)) {
                e.reported = reason;
                Matcher code = Pattern.compile("^[a-z_]+(?=:|$)").matcher(reason);
                reasons.merge(code.find() ? code.group() : reason.substring(0, Math.min(40, reason.length())), 1, Integer::sum);
            }
        }
        notifyAll();
    }

    /**
     * Waits until each entry of {@code ids} is settled and each echo of {@code echoesOf} is settled or owed to nobody;
     * fails naming what is missing.
     */
    synchronized void await(Collection<String> ids, Collection<String> echoesOf, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                Entry e = entries.get(id);
                if (e == null || !e.settled()) {
                    missing.add(id);
                }
            }
            for (String token : echoesOf) {
                missing.addAll(echoMissing(token));
            }
            if (missing.isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not settled within " + timeout + ": " + missing);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private List<String> echoMissing(String token) {
        Echo echo = echoes.get(token);
        if (!echoed.contains(token)) {
            Entry original = entries.get(token + ">" + echo.peer);
            boolean neverComes = original.deliveries == 0 && original.reported != null;
            return neverComes ? List.of() : List.of(token + "e (not echoed yet)");
        }
        List<String> missing = new ArrayList<>();
        for (String r : echo.receivers) {
            if (!entries.get(token + "e>" + r).settled()) {
                missing.add(token + "e>" + r);
            }
        }
        return missing;
    }

    /** The entries {@code token}→each receiver, for {@link #await}. */
    static List<String> ids(String token, String... receivers) {
        List<String> ids = new ArrayList<>();
        for (String r : receivers) {
            ids.add(token + ">" + r);
        }
        return ids;
    }

    /** Waits up to {@code timeout} for every entry to settle (the end of the run: late deliveries). */
    synchronized void drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lost().isEmpty() && deadline - System.nanoTime() > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
        }
    }

    long deliveries() {
        return deliveries.get();
    }

    /** Entries neither delivered nor reported. */
    synchronized List<String> lost() {
        return entries.entrySet().stream().filter(e -> !e.getValue().settled()).map(Map.Entry::getKey).toList();
    }

    synchronized List<String> duplicated() {
        return entries.entrySet().stream().filter(e -> e.getValue().deliveries > 1).map(Map.Entry::getKey).toList();
    }

    /** Entries reported to their sender and delivered all the same, each with its report. */
    synchronized List<String> reportedAndDelivered() {
        return entries.entrySet().stream().filter(e -> e.getValue().deliveries > 0 && e.getValue().reported != null)
                .map(e -> e.getKey() + " (" + e.getValue().reported + ")").toList();
    }

    /** Reports whose envelope id never matched a token (its sender was told, the ledger cannot say of what). */
    synchronized Map<String, String> unmatchedReports() {
        return Map.copyOf(pendingReports);
    }

    /** Echoes whose original reached its peer but that the peer never sent. */
    synchronized List<String> echoesNotSent() {
        List<String> notSent = new ArrayList<>();
        echoes.forEach((token, echo) -> {
            Entry original = entries.get(token + ">" + echo.peer);
            if (original != null && original.deliveries > 0 && !echoed.contains(token)) {
                notSent.add(token);
            }
        });
        return notSent;
    }

    /**
     * The table of docs/reliability.md §5.1: per route / sending dialect and in total, entries sent, delivered,
     * reported to the sender, reported and delivered anyway, lost and duplicated; then the report reasons and the
     * deliveries of tokens a receiver was not owed.
     */
    synchronized String table() {
        Map<String, long[]> rows = new TreeMap<>();
        long[] total = new long[6];
        entries.values().forEach(e -> {
            long[] row = rows.computeIfAbsent(e.group, g -> new long[6]);
            int col = e.reported != null ? (e.deliveries > 0 ? 3 : 2) : e.deliveries > 0 ? 1 : 4;
            for (long[] r : List.of(row, total)) {
                r[0]++;
                r[col]++;
                r[5] += e.deliveries > 1 ? 1 : 0;
            }
        });
        StringBuilder sb = new StringBuilder(String.format("| %-26s | %7s | %9s | %8s | %19s | %4s | %10s |%n", "route / sender", "sent",
                "delivered", "reported", "reported, delivered", "lost", "duplicated"));
        sb.append("|").append("-".repeat(28)).append("|").append("-".repeat(9)).append("|").append("-".repeat(11)).append("|")
                .append("-".repeat(10)).append("|").append("-".repeat(21)).append("|").append("-".repeat(6)).append("|")
                .append("-".repeat(12)).append("|\n");
        rows.forEach((g, r) -> sb.append(row(g, r)));
        sb.append(row("**total**", total));
        sb.append("reports: ").append(reasons).append("; deliveries not owed (per receiver): ").append(foreign)
                .append("; reports never matched to a token: ").append(pendingReports.size()).append('\n');
        return sb.toString();
    }

    private static String row(String group, long[] r) {
        return String.format("| %-26s | %,7d | %,9d | %,8d | %,19d | %,4d | %,10d |%n", group, r[0], r[1], r[2], r[3], r[4], r[5]);
    }
}
