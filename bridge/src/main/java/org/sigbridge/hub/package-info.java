/**
 * The hub: open channels, their local subscribers, remote participants and back-end links, and the
 * fan-out of published envelopes. It routes; it never translates. Fan-out runs on the publishing thread
 * and only hands envelopes to endpoints' bounded queues, so per (channel, sender) order is the order in
 * which the sender's thread published.
 */
package org.sigbridge.hub;
