/**
 * The WebSocket load generator: Jetty 12 clients speaking the channels or envelope dialect, open-loop
 * (fixed rate) or closed-loop (window) senders, and the delivery ledger that turns probe ids and send
 * times into sent / expected / delivered / lost / duplicated counts and latency percentiles.
 */
package org.sigbridge.bench.load;
