/**
 * Property-based fuzzing support (jqwik), shared by every module whose parsers read outside bytes: generators of
 * JSON-like and mutated text ({@link org.sigbridge.testing.fuzz.FuzzText}) and a per-input time bound
 * ({@link org.sigbridge.testing.fuzz.Bounded}). Each fuzzing module's {@code junit-platform.properties} sets the
 * suite's tries ({@code jqwik.tries.default = 10000}); a long run raises them with
 * {@code -Djqwik.tries.default=1000000}. docs/reliability.md lists the properties and their results.
 */
package org.sigbridge.testing.fuzz;
