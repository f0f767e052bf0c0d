package org.sigbridge.testkit.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Every mutation operator changes its sample, and generated inputs reach the boundary cases the fuzzer promises. */
class MutatorTest {

    private static final String SAMPLE = "{\"type\":1,\"target\":\"send\",\"arguments\":[\"x\"]}";
    private static final Mutator TEXT = new Mutator(List.of(SAMPLE, "[2,3]"), "{}[]\",:", List.of("\u001e"), false, 1 << 16);

    @Test
    void everyOperatorChangesTheSample() {
        for (Mutator.Op op : Mutator.Op.values()) {
            SplittableRandom r = new SplittableRandom(op.ordinal());
            boolean changed = false;
            for (int i = 0; i < 50 && !changed; i++) {
                StringBuilder sb = new StringBuilder(SAMPLE);
                TEXT.apply(op, sb, r);
                changed = !sb.toString().equals(SAMPLE);
            }
            assertTrue(changed, op + " never changed the sample");
        }
    }

    @Test
    void anEmptyInputGrows() {
        for (Mutator.Op op : Mutator.Op.values()) {
            StringBuilder sb = new StringBuilder();
            TEXT.apply(op, sb, new SplittableRandom(3));
            assertNotEquals("", sb.toString(), op.toString());
        }
    }

    @Test
    void textInputsReachTheBoundaries() {
        List<String> inputs = new SplittableRandom(1).longs(20_000).mapToObj(s -> TEXT.generate(new SplittableRandom(s))).toList();
        assertReached(inputs, "the sample unchanged", SAMPLE::equals);
        assertReached(inputs, "a lone surrogate", s -> s.chars().anyMatch(c -> Character.isSurrogate((char) c)));
        assertReached(inputs, "a number past a long", s -> s.contains("9223372036854775808"));
        assertReached(inputs, "deep nesting", s -> s.contains("[".repeat(1000)));
        assertReached(inputs, "the protocol's token", s -> s.contains("\u001e"));
        assertReached(inputs, "a splice of two samples", s -> s.startsWith("{\"") && s.endsWith(",3]"));
        assertReached(inputs, "a duplicated range", s -> s.contains("\"type\"") && s.indexOf("\"type\"") != s.lastIndexOf("\"type\""));
        assertReached(inputs, "a deleted range", s -> s.startsWith("{\"type\":1,") && s.endsWith("}") && s.length() < SAMPLE.length() - 1);
        assertReached(inputs, "random text beyond the alphabet", s -> !s.startsWith("{") && s.chars().anyMatch(c -> c > 0x7f));
        assertTrue(inputs.stream().allMatch(s -> s.length() <= 1 << 16), "inputs stay under the cap");
    }

    @Test
    void byteInputsReachInvalidUtf8() {
        Mutator bytes = new Mutator(List.of("42[\"a\"]"), "0123", List.of(), true, 1024);
        List<String> inputs = new SplittableRandom(2).longs(20_000).mapToObj(s -> bytes.generate(new SplittableRandom(s))).toList();
        assertTrue(inputs.stream().allMatch(s -> s.chars().allMatch(c -> c < 256)), "one char per byte");
        assertReached(inputs, "invalid UTF-8", s -> !StandardCharsets.UTF_8.newDecoder()
                .decode(java.nio.ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)), java.nio.CharBuffer.allocate(4096), true).isUnderflow());
        assertReached(inputs, "an encoded surrogate", s -> s.contains("\u00ed\u00a0\u0080"));
        assertTrue(inputs.stream().allMatch(s -> s.length() <= 1024), "inputs stay under the cap");
    }

    private static void assertReached(List<String> inputs, String what, Predicate<String> test) {
        assertTrue(inputs.stream().anyMatch(test), "no input has " + what);
    }
}
