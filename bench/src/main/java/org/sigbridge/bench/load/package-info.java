/**
 * The load generator: Jetty 12 clients speaking the channels or envelope dialect (and PeerJS, Core SignalR, and
 * socket.io 4 over WebSocket or HTTP long-polling for those comparisons), open-loop
 * (fixed rate) or closed-loop (window) senders, and the delivery ledger that turns probe ids and send
 * times into sent / expected / delivered / lost / duplicated counts and latency percentiles.
 */
package org.sigbridge.bench.load;
