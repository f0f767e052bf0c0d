/**
 * What sigbridge writes to Redis, as pure functions without I/O: key and subject names per channel
 * ({@link org.sigbridge.cluster.wire.ChannelKeys}), the frames on the live subjects and in the logs
 * ({@link org.sigbridge.cluster.wire.BusFrame}, {@link org.sigbridge.cluster.wire.EnvelopeCodec}) and the Lua scripts
 * that append, number and publish in one step ({@link org.sigbridge.cluster.wire.Scripts}). The layout is in
 * docs/cluster.md §7.
 */
package org.sigbridge.cluster.wire;
