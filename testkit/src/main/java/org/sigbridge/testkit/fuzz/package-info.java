/**
 * Seeded, reproducible fuzzing of the wire parsers: {@link org.sigbridge.testkit.fuzz.Fuzz} mutates a corpus of
 * valid samples ({@link org.sigbridge.testkit.fuzz.Mutator}) and adds random text or bytes, runs a property on
 * each input under a per-try and a whole-run deadline, and returns a {@link org.sigbridge.testkit.fuzz.FuzzTally}
 * of accepted and refused inputs. {@link org.sigbridge.testkit.fuzz.FuzzSettings} reads the seed to replay and
 * the scale of a long run; how to use them is in {@code docs/fuzzing.md}.
 */
package org.sigbridge.testkit.fuzz;
