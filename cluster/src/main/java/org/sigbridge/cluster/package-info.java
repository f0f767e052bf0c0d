/**
 * The cluster layer on Redis 7 through Lettuce (docs/cluster.md): {@link org.sigbridge.cluster.RedisClusterFactory}
 * binds the {@code cluster:} section and makes a {@link org.sigbridge.cluster.RedisCluster}, which owns the Redis
 * connections ({@link org.sigbridge.cluster.RedisLink}), the ordered, bounded append queue
 * ({@link org.sigbridge.cluster.Appender}, with {@link org.sigbridge.cluster.ScriptCalls},
 * {@link org.sigbridge.cluster.Answers} and {@link org.sigbridge.cluster.Expiry}, which holds appends whose answer was
 * lost until Redis says whether they ran) and the single receiving thread that delivers other instances' envelopes by
 * offset, fills gaps from the logs and keeps rosters by instance lease ({@link org.sigbridge.cluster.Receiver}, with
 * {@link org.sigbridge.cluster.ChannelLogs}, {@link org.sigbridge.cluster.Rosters}, {@link org.sigbridge.cluster.Leases},
 * {@link org.sigbridge.cluster.PositionCheck} and {@link org.sigbridge.cluster.EpochGate}; its log reads go out
 * asynchronously through {@link org.sigbridge.cluster.LogFill}, and a channel's frames wait behind them in
 * {@link org.sigbridge.cluster.FramesBehindFill}). Each instance keeps its own
 * recent appends per channel and appends them again when the channel's log is lost or rolled back
 * ({@link org.sigbridge.cluster.ReplayTail}, {@link org.sigbridge.cluster.Replayer}). SIP dynamic members are
 * shared by the instance that holds them ({@link org.sigbridge.cluster.UpstreamMembers}); a Sentinel group
 * ({@link org.sigbridge.cluster.SentinelSettings}) may replace the fixed address, and a log rolled back by a failover
 * starts a new epoch ({@link org.sigbridge.cluster.Fence}, {@link org.sigbridge.cluster.RollbackGuard}).
 * {@link org.sigbridge.cluster.LogReader} reads a channel's log for a client resuming from another instance. The
 * receiver's periodic work ({@link org.sigbridge.cluster.ReceiverTick}) also publishes each channel's delivered-through
 * watermark ({@link org.sigbridge.cluster.Watermarks}) and settles the envelopes this instance addressed to other
 * instances' participants ({@link org.sigbridge.cluster.AddressedLedger}): delivered, or reported by envelope id when
 * the recipient went away with its instance (docs/cluster.md §5).
 * Lettuce's threads only enqueue.
 */
package org.sigbridge.cluster;
