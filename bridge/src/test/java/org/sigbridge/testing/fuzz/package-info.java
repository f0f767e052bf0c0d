/**
 * Property-based fuzzing support (jqwik), shared by every module whose parsers read outside bytes: generators of
 * JSON-like and mutated text ({@link org.sigbridge.testing.fuzz.FuzzText}), the tries hook that lets one command
 * raise every property's tries for a long run ({@link org.sigbridge.testing.fuzz.FuzzTries}), and a per-input time
 * bound ({@link org.sigbridge.testing.fuzz.Bounded}). docs/reliability.md lists the properties and their results.
 */
package org.sigbridge.testing.fuzz;
