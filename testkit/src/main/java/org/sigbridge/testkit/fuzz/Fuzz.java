package org.sigbridge.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A fuzz property over text or bytes: {@link #check} runs the property on {@link #tries} inputs (times
 * {@link FuzzSettings#scale()}), each made from the run's seed and its try index alone, so a failure's seed and
 * index name its input, and {@code -Dsigbridge.fuzz.seed=<seed>} replays it. An input the property returns on is
 * accepted; one it refuses with the {@linkplain #refusal declared exception} (which must carry a message) is
 * refused; anything else thrown, a try longer than {@link #perTry}, or a run longer than {@link #deadline} fails
 * the test with the seed, the try index and the input, escaped. See {@code docs/fuzzing.md}.
 *
 * <p>Configure it on the test's thread, then call {@link #check} once; the property runs on a daemon thread named
 * {@code fuzz-<name>}, one input at a time, and is left interrupted (not stopped) if it hangs.
 *
 * @param <T> {@code String} or {@code byte[]}
 */
public final class Fuzz<T> {

    private static final String DEFAULT_ALPHABET = "{}[]\",:\\ 0123456789-.eEabnlrtu\u0000\n\u001e\u00e9";
    private static final long WATCH_MILLIS = 50;

    private final List<String> corpus;
    private final boolean bytes;
    private final Function<String, T> fromText;
    private final FuzzSettings settings;
    private String alphabet = DEFAULT_ALPHABET;
    private List<String> tokens = List.of();
    private int tries = 1000;
    private int maxLength = 1 << 16;
    private long seed;
    private Duration perTry = Duration.ofSeconds(10);
    private Duration deadline = Duration.ofMinutes(5);
    private Class<? extends Exception> refusal;

    private Fuzz(List<String> corpus, boolean bytes, Function<String, T> fromText, FuzzSettings settings) {
        this.corpus = corpus;
        this.bytes = bytes;
        this.fromText = fromText;
        this.settings = settings;
    }

    /** A text property whose mutated inputs start from {@code corpus}, under the system properties' settings. */
    public static Fuzz<String> strings(List<String> corpus) {
        return strings(corpus, FuzzSettings.fromSystemProperties());
    }

    /** A text property under the given settings (for tests of the fuzzer itself). */
    public static Fuzz<String> strings(List<String> corpus, FuzzSettings settings) {
        return new Fuzz<>(List.copyOf(corpus), false, Function.identity(), settings);
    }

    /** A byte property whose mutated inputs start from {@code corpus}, under the system properties' settings. */
    public static Fuzz<byte[]> bytes(List<byte[]> corpus) {
        return new Fuzz<>(corpus.stream().map(Fuzz::latin1).toList(), true, t -> t.getBytes(StandardCharsets.ISO_8859_1),
                FuzzSettings.fromSystemProperties());
    }

    /** The characters (for bytes: the ISO-8859-1 chars of the bytes) that random text and inserts draw from. */
    public Fuzz<T> alphabet(String chars) {
        if (chars.isEmpty()) {
            throw new IllegalArgumentException("an empty alphabet");
        }
        this.alphabet = chars;
        return this;
    }

    /** The protocol's own tokens (separators, keywords), inserted beside the built-in boundary tokens. */
    public Fuzz<T> tokens(String... protocolTokens) {
        this.tokens = List.of(protocolTokens);
        return this;
    }

    /** How many inputs to try at scale 1. */
    public Fuzz<T> tries(int count) {
        this.tries = count;
        return this;
    }

    /** The run's seed unless {@value FuzzSettings#SEED} names one; without either it is the property's name's hash. */
    public Fuzz<T> seed(long value) {
        this.seed = value;
        return this;
    }

    /** The longest any one input may take before the run fails as hung; 10 s by default. */
    public Fuzz<T> perTry(Duration limit) {
        this.perTry = limit;
        return this;
    }

    /** The longest the whole run may take at scale 1 (the scale multiplies it); 5 min by default. */
    public Fuzz<T> deadline(Duration limit) {
        this.deadline = limit;
        return this;
    }

    /** Inputs are cut to this many chars or bytes; 64 KiB by default. */
    public Fuzz<T> maxLength(int length) {
        this.maxLength = length;
        return this;
    }

    /** The exception with which the parser refuses bad input; the property throwing it counts the input as refused. */
    public Fuzz<T> refusal(Class<? extends Exception> type) {
        this.refusal = type;
        return this;
    }

    /** The input of try {@code index} in a run seeded with {@code runSeed}; the same for the same configuration. */
    public T input(long runSeed, int index) {
        return fromText.apply(new Mutator(corpus, alphabet, tokens, bytes, maxLength).generate(random(runSeed, index)));
    }

    /**
     * Runs {@code property} on every input, blocking the caller until done.
     *
     * @param name what the property checks, for failure messages and the thread's name
     * @return the tally of accepted and refused inputs
     * @throws AssertionError on the first failing input, a hang or a passed deadline, naming seed, try and input
     */
    public FuzzTally check(String name, Property<? super T> property) {
        long runSeed = settings.seed().orElse(seed != 0 ? seed : name.hashCode());
        Mutator mutator = new Mutator(corpus, alphabet, tokens, bytes, maxLength);
        Run<T> run = new Run<>(settings.scaled(tries));
        Thread worker = new Thread(() -> run.loop(i -> fromText.apply(mutator.generate(random(runSeed, i))), property, refusal),
                "fuzz-" + name);
        worker.setDaemon(true);
        worker.setUncaughtExceptionHandler((t, e) -> run.failure = e);
        long end = System.nanoTime() + (long) (deadline.toNanos() * settings.scale());
        worker.start();
        String where = "fuzz property '" + name + "' (seed " + runSeed + ", replay with -D" + FuzzSettings.SEED + "=" + runSeed + ")";
        try {
            while (worker.isAlive()) {
                worker.join(WATCH_MILLIS);
                long now = System.nanoTime();
                long started = run.tryStarted;
                String hang = started != 0 && now - started > perTry.toNanos() ? "took longer than " + perTry + " on one input"
                        : now > end ? "did not finish within its deadline of " + deadline + " x scale" : null;
                if (hang != null && worker.isAlive()) {
                    worker.interrupt();
                    throw new AssertionError(where + " " + hang + " at try " + run.index + " of " + run.tries + "; input "
                            + describe(run.input) + "; " + run.tally(name));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
            throw new AssertionError(where + " was interrupted at try " + run.index, e);
        }
        if (run.failure != null) {
            throw new AssertionError(where + " failed at try " + run.index + " of " + run.tries + ": " + run.failure
                    + "\n  input " + describe(run.input), run.failure);
        }
        return run.tally(name);
    }

    /** The check on one input: returns when the input is accepted, throws the declared refusal when it is refused. */
    @FunctionalInterface
    public interface Property<T> {
        /** Checks {@code input}; runs on the fuzz thread. */
        void check(T input) throws Exception;
    }

    /** {@code input} as a Java literal: quoted, escaped, cut after 2,000 chars, with its length. */
    static String describe(Object input) {
        String text = input instanceof byte[] b ? latin1(b) : String.valueOf(input);
        StringBuilder sb = new StringBuilder("(").append(text.length()).append(input instanceof byte[] ? " bytes) \"" : " chars) \"");
        for (int i = 0; i < Math.min(text.length(), 2000); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(input instanceof byte[] ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb.append(text.length() > 2000 ? "\"..." : "\"").toString();
    }

    private static SplittableRandom random(long runSeed, int index) {
        return new SplittableRandom(runSeed * 0x9E3779B97F4A7C15L + index);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** One run's progress, written by the fuzz thread and read by the watching test thread. */
    private static final class Run<T> {
        final int tries;
        volatile int index;
        volatile Object input;
        volatile long tryStarted;
        volatile int accepted;
        volatile int refused;
        volatile Throwable failure;

        Run(int tries) {
            this.tries = tries;
        }

        void loop(IntFunction<T> inputs, Property<? super T> property, Class<? extends Exception> refusal) {
            for (int i = 0; i < tries; i++) {
                T in = inputs.apply(i);
                index = i;
                input = in;
                tryStarted = System.nanoTime();
                try {
                    property.check(in);
                    accepted++;
                } catch (Exception e) {
                    if (refusal == null || !refusal.isInstance(e)) {
                        failure = e;
                        return;
                    }
                    if (e.getMessage() == null || e.getMessage().isBlank()) {
                        failure = new AssertionError("refused without saying why: " + e, e);
                        return;
                    }
                    refused++;
                }
            }
            tryStarted = 0;
        }

        FuzzTally tally(String name) {
            return new FuzzTally(name, accepted, refused);
        }
    }
}
