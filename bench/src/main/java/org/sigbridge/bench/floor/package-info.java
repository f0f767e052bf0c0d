/**
 * The floor of start to ready (docs/benchmarks.md, "Start to ready: the floor"): the smallest Java programs that
 * listen where sigbridge listens and answer HTTP, run by the {@code ready} scenario beside sigbridge with the same JVM
 * and options, so that the ratio of sigbridge's start to theirs says what sigbridge itself costs. Packed alone with
 * Jetty's server jars into {@code bench/target/jetty-floor.jar}; nothing here is part of sigbridge.
 */
package org.sigbridge.bench.floor;
