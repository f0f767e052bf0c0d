/**
 * The hub: open channels, their local subscribers, remote participants and back-end links, and the
 * fan-out of published envelopes. It routes; it never translates. Fan-out runs on the publishing thread
 * and only hands envelopes to endpoints' bounded queues, so per (channel, sender) order is the order in
 * which the sender's thread published. {@code Hub} is the package's public face; behind it one class a job:
 * {@code Subscriptions}, {@code EnvelopeIntake}, {@code FanOut}, {@code UpstreamPresence}, {@code FailureReports}.
 *
 * <p>Each channel may keep a bounded history ({@code History}, {@code Histories}; docs/design.md §3.8): fan-out holds
 * it while it numbers an envelope and hands it out, so subscribers get positions in order, and
 * {@code Resumer} replays what a returning client missed from it; on a cluster, a client that comes from another
 * instance is replayed the channel's cluster log behind a {@code ResumeGate}.
 */
package org.sigbridge.hub;
