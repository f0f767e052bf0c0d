package org.sigbridge.testkit.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The fuzzer itself: reproducible from a seed, failure messages that name seed, try and input, hangs, the tally. */
class FuzzTest {

    private static final List<String> CORPUS = List.of("{\"type\":\"HEARTBEAT\"}", "[1,\"a\"]");
    private static final FuzzSettings PLAIN = new FuzzSettings(OptionalLong.empty(), 1);

    @Test
    void theSameSeedGivesTheSameInputsAndAnotherSeedOthers() {
        Fuzz<String> fuzz = Fuzz.strings(CORPUS, PLAIN);
        List<String> first = new ArrayList<>();
        List<String> again = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            first.add(fuzz.input(42, i));
            again.add(Fuzz.strings(CORPUS, PLAIN).input(42, i));
            other.add(fuzz.input(43, i));
        }
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(first.stream().distinct().count() > 300, "inputs vary: " + first.stream().distinct().count());
    }

    @Test
    void aFailureNamesSeedTryAndEscapedInputAndTheSeedReplaysIt() {
        Fuzz.Property<String> noQuoteAfterBrace = in -> assertTrue(!in.contains("{\"t") || in.startsWith("{\"type\""), "bad");
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Fuzz.strings(CORPUS, PLAIN).tries(100_000).seed(7).check("brace", noQuoteAfterBrace));
        String message = failure.getMessage();
        assertTrue(message.startsWith("fuzz property 'brace' (seed 7, replay with -Dsigbridge.fuzz.seed=7) failed at try "), message);
        int index = Integer.parseInt(message.replaceAll("(?s).* failed at try (\\d+) of 100000.*", "$1"));
        assertTrue(message.contains("input " + Fuzz.describe(Fuzz.strings(CORPUS, PLAIN).input(7, index))), message);
        assertTrue(failure.getCause() instanceof AssertionError, "the property's own failure is the cause");

        AssertionError replayed = assertThrows(AssertionError.class, () -> Fuzz.strings(CORPUS, new FuzzSettings(OptionalLong.of(7), 1))
                .tries(100_000).seed(99).check("brace", noQuoteAfterBrace));
        assertEquals(message, replayed.getMessage(), "the seed from the message replays the same failure");
    }

    @Test
    void inputsAreEscapedAsJavaLiterals() {
        assertEquals("(6 chars) \"a\\\"\\\\\\u001e\\ud800\\u00e9\"", Fuzz.describe("a\"\\\u001e\ud800\u00e9"));
        assertEquals("(3 bytes) \"A\\xc3\\x00\"", Fuzz.describe(new byte[] {'A', (byte) 0xC3, 0}));
        assertTrue(Fuzz.describe("x".repeat(5000)).endsWith("x\"..."));
    }

    @Test
    void refusalsAreTalliedAndOtherExceptionsFail() {
        FuzzTally tally = Fuzz.strings(CORPUS, PLAIN).tries(2000).refusal(IllegalArgumentException.class).check("parity", in -> {
            if (in.length() % 2 == 0) {
                throw new IllegalArgumentException("even length " + in.length());
            }
        });
        assertEquals(2000, tally.tries());
        tally.assertEachAtLeast(0.2);
        AssertionError acceptsAll = assertThrows(AssertionError.class,
                () -> Fuzz.strings(CORPUS, PLAIN).tries(100).check("all", in -> { }).assertEachAtLeast(0.01));
        assertTrue(acceptsAll.getMessage().contains("100 accepted, 0 refused of 100"), acceptsAll.getMessage());
        AssertionError other = assertThrows(AssertionError.class, () -> Fuzz.strings(CORPUS, PLAIN).refusal(IllegalArgumentException.class)
                .check("npe", in -> { throw new IllegalStateException("boom"); }));
        assertTrue(other.getMessage().contains("failed at try 0 of 1000: java.lang.IllegalStateException: boom"), other.getMessage());
        AssertionError silent = assertThrows(AssertionError.class, () -> Fuzz.strings(CORPUS, PLAIN).refusal(IllegalArgumentException.class)
                .check("silent", in -> { throw new IllegalArgumentException(""); }));
        assertTrue(silent.getMessage().contains("refused without saying why"), silent.getMessage());
    }

    @Test
    void aHungInputFailsTheRunWithThatInput() {
        CountDownLatch never = new CountDownLatch(1);
        AssertionError hang = assertThrows(AssertionError.class, () -> Fuzz.strings(CORPUS, PLAIN).perTry(Duration.ofMillis(200))
                .check("hang", in -> {
                    if (in.equals(CORPUS.get(0))) {
                        never.await();
                    }
                }));
        assertTrue(hang.getMessage().contains("took longer than PT0.2S on one input at try "), hang.getMessage());
        assertTrue(hang.getMessage().contains("input " + Fuzz.describe(CORPUS.get(0))), hang.getMessage());
    }

    @Test
    void aRunPastItsDeadlineFails() {
        AssertionError late = assertThrows(AssertionError.class, () -> Fuzz.strings(CORPUS, PLAIN).tries(Integer.MAX_VALUE)
                .deadline(Duration.ofMillis(300)).check("slow", in -> { }));
        assertTrue(late.getMessage().contains("did not finish within its deadline of PT0.3S"), late.getMessage());
    }

    @Test
    void theScaleMultipliesTriesAndTheSeedPropertyReplays() {
        Properties long10 = new Properties();
        long10.setProperty(FuzzSettings.SCALE, "10");
        long10.setProperty(FuzzSettings.SEED, "-12");
        FuzzSettings settings = FuzzSettings.from(long10);
        assertEquals(OptionalLong.of(-12), settings.seed());
        assertEquals(20_000, Fuzz.strings(CORPUS, settings).tries(2000).check("scaled", in -> { }).tries());
        assertEquals(1, FuzzSettings.from(new Properties()).scaled(1));
        long10.setProperty(FuzzSettings.SCALE, "0");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FuzzSettings.from(long10));
        assertTrue(bad.getMessage().contains("sigbridge.fuzz.scale"), bad.getMessage());
    }

    @Test
    void byteInputsComeFromTheByteCorpus() {
        Fuzz<byte[]> fuzz = Fuzz.bytes(List.of(new byte[] {0, 1, (byte) 0xFF, '2'}));
        assertArrayEquals(fuzz.input(5, 3), Fuzz.bytes(List.of(new byte[] {0, 1, (byte) 0xFF, '2'})).input(5, 3));
        FuzzTally tally = fuzz.tries(3000).refusal(IllegalArgumentException.class).check("bytes", in -> {
            if (in.length < 4) {
                throw new IllegalArgumentException("short");
            }
        });
        tally.assertEachAtLeast(0.05);
    }
}
