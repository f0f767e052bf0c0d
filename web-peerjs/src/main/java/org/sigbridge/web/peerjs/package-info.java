/**
 * The PeerJS server dialect (docs/peerjs.md, docs/dialects.md §8): {@code GET {path}{key}/id}, the
 * {@code {path}peerjs} WebSocket, and the relay of a peer's messages to its {@code dst} as addressed envelopes on the
 * hub channel {@code peerjs/<key>}, so a peer on another bridge is reached through the channel's link.
 */
package org.sigbridge.web.peerjs;
