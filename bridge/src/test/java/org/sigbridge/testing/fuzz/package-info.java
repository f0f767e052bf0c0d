/**
 * Fuzzing support, shared by every module whose parsers read outside bytes: a driver that runs a test's tries over
 * seeds and tallies their outcomes ({@link org.sigbridge.testing.fuzz.FuzzRun}), generators of JSON-like and
 * mutated text ({@link org.sigbridge.testing.fuzz.FuzzText}) and a per-input time bound
 * ({@link org.sigbridge.testing.fuzz.Bounded}). The normal suite runs 10,000 tries per parser; a long run
 * multiplies them with {@code -Dsigbridge.fuzz.scale=100}. docs/reliability.md lists the tests and their results.
 */
package org.sigbridge.testing.fuzz;
