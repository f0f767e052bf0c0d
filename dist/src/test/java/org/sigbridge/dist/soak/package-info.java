/**
 * The all-dialect soak (docs/reliability.md, "Soak"): the packaged jar as a child process, routed to a real Prosody
 * MUC room (a Smack occupant echoing) and through a real Kamailio (a JAIN-SIP user agent echoing), with raw browser
 * clients of every dialect joining, talking, leaving and reconnecting at a steady rate, while the bridge process's
 * heap after GC, RSS, threads and file descriptors are sampled and every envelope is kept in a ledger.
 *
 * <p>The clients speak the wire protocols of docs/dialects.md over the JDK's WebSocket and HTTP clients: Engine.IO 4
 * / Socket.IO 4 (§7.3), the PeerJS server protocol (§8), ASP.NET Core SignalR's JSON hub protocol (§9.1), the
 * envelope and channels dialects and XHR posts. Nothing of sigbridge's own is mocked.
 */
package org.sigbridge.dist.soak;
