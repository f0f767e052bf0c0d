/**
 * Mechanics every adapter needs, written once: jittered {@link org.sigbridge.support.Backoff}, a bounded
 * {@link org.sigbridge.support.RecentIds} memory for duplicate suppression, a
 * {@link org.sigbridge.support.TokenBucket}, {@link org.sigbridge.support.NamedThreads} and
 * {@link org.sigbridge.support.EnvelopeMdc} for the {@code adapter}/{@code channel}/{@code envelope} log keys.
 * Small, dependency-free (SLF4J only) and unit-tested in {@code bridge}.
 */
package org.sigbridge.support;
