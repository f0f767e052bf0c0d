package org.sigbridge.testkit.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account of one fault case: every envelope id sent (accepted by the bridge from its sender), every delivery
 * seen at the receiving side, and every failure reported back to the sender by envelope id. Lost = sent, never
 * delivered and never reported; duplicated = delivered more than once. The goal of every case is lost = 0
 * (docs/reliability.md). Thread-safe (synchronized); {@link #row} is one line of the printed table.
 */
public final class Ledger {

    private final String name;
    private final Set<String> sent = new LinkedHashSet<>();
    private final Map<String, Integer> delivered = new LinkedHashMap<>();
    private final Set<String> reported = new LinkedHashSet<>();
    private final Set<String> foreign = new LinkedHashSet<>();
    private final Map<String, Integer> reasons = new LinkedHashMap<>();

    public Ledger(String name) {
        this.name = name;
    }

    public synchronized void sent(String id) {
        sent.add(id);
    }

    /** A delivery at the receiving side; an id never sent is kept apart (and makes {@link #row} say so). */
    public synchronized void delivered(String id) {
        if (sent.contains(id)) {
            delivered.merge(id, 1, Integer::sum);
        } else {
            foreign.add(id);
        }
    }

    public synchronized void reported(String id) {
        reported.add(id);
    }

    /** A failure reported to the sender, with its reason (e.g. the error code), counted per reason for the notes. */
    public synchronized void reported(String id, String reason) {
        if (reported.add(id)) {
            reasons.merge(reason, 1, Integer::sum);
        }
    }

    /** Reported and delivered both: the sender was told of a failure, yet the envelope arrived (e.g. after a timeout). */
    public synchronized int deliveredAndReported() {
        int n = 0;
        for (String id : reported) {
            if (delivered.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    /** Reasons of the reported failures with their counts, e.g. {@code {upstream_timeout=2}}. */
    public synchronized Map<String, Integer> reasons() {
        return Map.copyOf(reasons);
    }

    public synchronized List<String> lost() {
        List<String> lost = new ArrayList<>();
        for (String id : sent) {
            if (!delivered.containsKey(id) && !reported.contains(id)) {
                lost.add(id);
            }
        }
        return lost;
    }

    public synchronized List<String> duplicated() {
        return delivered.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /** Ids sent that have been delivered or reported, so far. */
    public synchronized int settled() {
        int n = 0;
        for (String id : sent) {
            if (delivered.containsKey(id) || reported.contains(id)) {
                n++;
            }
        }
        return n;
    }

    public synchronized int sentCount() {
        return sent.size();
    }

    /** The table's header line. */
    public static String header() {
        return String.format("| %-52s | %5s | %9s | %8s | %4s | %10s | %s |", "case", "sent", "delivered", "reported", "lost",
                "duplicated", "notes");
    }

    /** This case's line of the table. */
    public synchronized String row() {
        String notes = (reasons.isEmpty() ? "" : "reported: " + reasons + "; ")
                + (deliveredAndReported() == 0 ? "" : deliveredAndReported() + " reported and delivered too; ")
                + (foreign.isEmpty() ? "" : foreign.size() + " deliveries never sent; ");
        return String.format("| %-52s | %5d | %9d | %8d | %4d | %10d | %s |", name, sent.size(), delivered.size(), reported.size(),
                lost().size(), duplicated().size(), notes.isEmpty() ? "" : notes.substring(0, notes.length() - 2));
    }
}
