package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.WebStats;

/**
 * The set-up the seed-checkpoint tests share (docs/cluster.md §2, "Checkpoints for seed WebSocket pages"): an
 * instance's YAML with checkpoints for pages without verified identity, the channels-dialect frames of a page on one
 * channel (publishes whose data is {@code {"n":"<sender>-<i>"}}, so deliveries are told from other frames by
 * {@code n}), and a {@link Tally} of what a page got from the senders {@code sa} and {@code sb}.
 *
 * @param channel the channel every frame names
 */
record SeedPages(String channel) {

    /** An instance's YAML: {@link Instances#yaml} with {@code checkpoints: { unverified: true }} on the web adapter. */
    static String yaml(String name, RedisServer redis) {
        String base = Instances.yaml(name, redis, Instances.FAST + "  connect-timeout: 30s\n");
        String rate = "    rate-limit: { messages-per-second: 100000, burst: 100000 }\n";
        assertTrue(base.contains(rate), base);
        return base.replace(rate, rate + "    checkpoints: { unverified: true }\n");
    }

    String open() {
        return "{\"open\":true,\"channel\":" + JsonValue.string(channel).json() + "}";
    }

    String openAs(String sender) {
        return "{\"open\":true,\"channel\":" + JsonValue.string(channel).json() + ",\"sender\":" + JsonValue.string(sender).json() + "}";
    }

    /** A publish whose data is {@code {"n":name}}. */
    String data(String name) {
        return "{\"channel\":" + JsonValue.string(channel).json() + ",\"data\":{\"n\":" + JsonValue.string(name).json() + "}}";
    }

    /** An instance's checkpoint counters, for failure messages. */
    static String counts(TestBridge bridge, String name) {
        WebStats st = bridge.web().stats();
        return name + ": written " + st.checkpoints(WebStats.Checkpoint.WRITTEN) + ", recovered "
                + st.checkpoints(WebStats.Checkpoint.RECOVERED) + ", not recovered " + st.checkpoints(WebStats.Checkpoint.NOT_RECOVERED);
    }

    /** What one page got from the senders {@code sa} and {@code sb} (numbers in arrival order), and anything else. */
    static final class Tally {

        final Map<String, List<Integer>> got = new HashMap<>();
        final List<String> foreign = new ArrayList<>();

        /** Records one delivery's {@code n}. */
        void record(String data) {
            int dash = data.lastIndexOf('-');
            String sender = data.substring(0, dash);
            if (!sender.equals("sa") && !sender.equals("sb")) {
                foreign.add(data);
                return;
            }
            got.computeIfAbsent(sender, s -> new ArrayList<>()).add(Integer.parseInt(data.substring(dash + 1)));
        }

        /**
         * Asserts nothing foreign came (its own, anything unexpected) and that each sender's {@code 0..owed-1} arrived in
         * order, each once; returns the owed, lost and duplicated counts for the table row.
         */
        int[] assertOnceInOrder(int owedSa, int owedSb) {
            assertEquals(List.of(), foreign, "nothing of its own came back, nothing unexpected");
            int lost = 0;
            int duplicated = 0;
            for (String sender : List.of("sa", "sb")) {
                int owed = sender.equals("sa") ? owedSa : owedSb;
                List<Integer> seq = got.getOrDefault(sender, List.of());
                Set<Integer> distinct = new TreeSet<>(seq);
                duplicated += seq.size() - distinct.size();
                lost += owed - distinct.size();
                for (int k = 1; k < seq.size(); k++) {
                    assertTrue(seq.get(k) > seq.get(k - 1), sender + " out of order or doubled at " + k + ": " + seq);
                }
                assertEquals(owed, distinct.size(), sender + ": missing some of 0.." + (owed - 1) + ": " + seq);
            }
            return new int[] {owedSa + owedSb, lost, duplicated};
        }

        @Override
        public String toString() {
            return got.toString();
        }
    }
}
