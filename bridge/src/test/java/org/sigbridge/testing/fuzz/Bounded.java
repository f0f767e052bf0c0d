package org.sigbridge.testing.fuzz;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one parse and fails if it took longer than a bound: a pathological input (a catastrophic backtrack, a
 * quadratic loop) shows up as a failed try with that input, not as a slow suite. A true hang is ended by the
 * fork's timeout ({@code sigbridge.test.timeout}). Calling thread; no threads of its own.
 */
public final class Bounded {

    /**
     * Far above any parse of the inputs the properties generate (well under a millisecond each, once warm); the first
     * parse in a JVM loads the parser's classes (measured: 1 to 11 s for Jetty's form reader on a loaded machine).
     */
    public static final Duration PER_INPUT = Duration.ofSeconds(10);

    private Bounded() {
    }

    /**
     * The result of {@code parse}; throws {@link AssertionError} naming {@code input} when it took too long twice in
     * a row (the second run rules out class loading, JIT and a loaded machine; a pathological input stays slow).
     */
    public static <T> T call(Object input, Supplier<T> parse) {
        long start = System.nanoTime();
        T result = parse.get();
        long tookNanos = System.nanoTime() - start;
        if (tookNanos > PER_INPUT.toNanos()) {
            start = System.nanoTime();
            result = parse.get();
            tookNanos = System.nanoTime() - start;
        }
        if (tookNanos > PER_INPUT.toNanos()) {
            throw new AssertionError("parsing took " + tookNanos / 1_000_000 + " ms (bound " + PER_INPUT.toMillis()
                    + " ms) for input: " + input);
        }
        return result;
    }
}
