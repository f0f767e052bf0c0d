/**
 * The interop matrix of docs/interop.md: the bridge against servers and clients operators run, each started from its
 * Debian or npm package on loopback by a testkit peer. This package holds what the XMPP and SIP rows share
 * ({@link org.sigbridge.interop.NpmClients}, the npm clients' directory).
 */
package org.sigbridge.interop;
