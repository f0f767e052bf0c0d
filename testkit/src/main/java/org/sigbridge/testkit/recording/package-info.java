/**
 * Recording adapters for tests: an {@link org.sigbridge.spi.Endpoint} and a back-end adapter (type
 * {@code recording}) that keep what the hub hands them in bounded blocking queues, so tests assert on
 * real hub behaviour with {@code poll(timeout)} instead of sleeps. Test data builders live here too.
 */
package org.sigbridge.testkit.recording;
