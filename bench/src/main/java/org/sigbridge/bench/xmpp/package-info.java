/**
 * The XMPP path: two sigbridge instances joined to the same Prosody MUC rooms (browser → sigbridge →
 * Prosody → sigbridge → browser), against the ceiling Prosody allows: Smack clients exchanging the same
 * probes directly in MUC rooms of the same Prosody.
 */
package org.sigbridge.bench.xmpp;
