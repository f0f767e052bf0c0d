/**
 * XMPP client sessions: one {@link org.sigbridge.xmpp.session.ClientSession} per identity (the bridge's own,
 * and one per browser sender in {@code per-user} mode), each connecting with jittered, capped backoff and
 * reporting online/offline to its owner on the adapter's worker thread. Connection settings never cause a
 * DNS SRV lookup when a host is configured.
 */
package org.sigbridge.xmpp.session;
