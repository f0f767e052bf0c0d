/**
 * The routing table: ordered rules from channel-name patterns (glob or regex with named groups) to a
 * target (local hub, deny, or a back-end adapter with a target template), compiled once at start.
 * First match wins; a default route covers the rest.
 */
package org.sigbridge.routing;
