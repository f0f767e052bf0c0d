/**
 * Recording adapters for tests: an {@link org.sigbridge.spi.Endpoint} and a back-end adapter (type
 * {@code recording}) that keep what the hub hands them in bounded blocking queues, so tests assert on
 * real hub behaviour with {@code poll(timeout)} instead of sleeps. Test data builders live here too.
 *
 * <p>These classes are the bridge module's test sources, published as its {@code test-jar} so that every
 * other module's tests use the same fixtures as the hub's own; the {@code recording} factory is registered for
 * {@link java.util.ServiceLoader} in the test resources, so it is installed wherever the test-jar is on the
 * class path.
 */
package org.sigbridge.testing;
