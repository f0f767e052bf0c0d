package org.sigbridge.testing.fuzz;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Drives a fuzz test: runs {@code tries × scale} tries of one function over seeds drawn from a master seed and
 * tallies the outcome label each try returns. The function builds its input from the try's seed with
 * {@link FuzzText}, runs the parser (under {@link Bounded}), asserts, and returns a label naming the path the
 * input took ({@code "accepted"}, {@code "answered 404"}, ...); the test then asserts on the {@link Tally} that the
 * interesting outcomes occurred (a fuzz test whose inputs are all rejected proves little about the accepting paths).
 *
 * <p>System properties (set on the Maven command line; surefire hands them to the forked JVM):
 * {@code sigbridge.fuzz.seed} replaces {@link #DEFAULT_SEED} (the normal suite runs the same inputs every time), and
 * {@code sigbridge.fuzz.scale} multiplies every test's tries (default 1; docs/reliability.md's long run uses 100).
 * The first failing try ends the run with an {@link AssertionError} naming the try's index, its seed and the master
 * seed to replay it with; the cause carries the test's own message (the input itself). Calling thread only; the
 * tally is printed to standard out (surefire's {@code *-output.txt}).
 */
public final class FuzzRun {

    /** The master seed when {@code sigbridge.fuzz.seed} is not set. */
    public static final long DEFAULT_SEED = 0x5167_B41D_6E0F_2026L;

    private FuzzRun() {
    }

    /**
     * Runs {@code tries} × {@code sigbridge.fuzz.scale} tries of {@code oneTry} (given each try's seed, returning
     * its outcome label, never null) and returns the tally; {@code name} heads the printed tally.
     */
    public static Tally run(String name, int tries, LongFunction<String> oneTry) {
        long master = Long.getLong("sigbridge.fuzz.seed", DEFAULT_SEED);
        long scale = Long.getLong("sigbridge.fuzz.scale", 1);
        if (scale < 1 || tries < 1) {
            throw new IllegalArgumentException("tries (" + tries + ") and -Dsigbridge.fuzz.scale (" + scale
                    + ") must be at least 1");
        }
        long total = tries * scale;
        SplittableRandom seeds = new SplittableRandom(master);
        Map<String, Long> counts = new TreeMap<>();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long seed = seeds.nextLong();
            String label;
            try {
                label = oneTry.apply(seed);
            } catch (Throwable failure) {
                throw new AssertionError(name + ": try " + i + " of " + total + " failed (try seed " + seed
                        + "); replay with -Dsigbridge.fuzz.seed=" + master + ": " + failure.getMessage(), failure);
            }
            if (label == null) {
                throw new AssertionError(name + ": try " + i + " (try seed " + seed + ") returned no outcome label");
            }
            counts.merge(label, 1L, Long::sum);
        }
        Tally tally = new Tally(name, master, total, (System.nanoTime() - start) / 1_000_000, Map.copyOf(counts));
        System.out.println(tally);
        return tally;
    }

    /**
     * What a run saw: how many tries ended with each outcome label.
     *
     * @param name the test's name
     * @param seed the master seed the tries were drawn from
     * @param tries how many tries ran (all passed)
     * @param millis how long they took
     * @param counts tries per outcome label
     */
    public record Tally(String name, long seed, long tries, long millis, Map<String, Long> counts) {

        /** Tries that ended with exactly {@code label}. */
        public long count(String label) {
            return counts.getOrDefault(label, 0L);
        }

        /** Tries whose label starts with {@code prefix} (e.g. every {@code "answered "} status). */
        public long countStartingWith(String prefix) {
            return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** The name, the tries, the time, the seed, then each label with its count and share, most frequent first. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name).append(": ").append(tries).append(" tries in ").append(millis)
                    .append(" ms, seed ").append(seed);
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> sb.append(String.format("%n  %-32s %9d  %5.1f %%", e.getKey(), e.getValue(),
                            100.0 * e.getValue() / tries)));
            return sb.toString();
        }
    }
}
