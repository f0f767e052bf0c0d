/**
 * Pure translation between Smack stanzas and envelopes: the {@code <signal xmlns="urn:sigbridge:signal:0">}
 * payload element, XEP-0359 origin-id and XEP-0334 no-store elements with their providers, room JIDs
 * from channel names (XEP-0106), and {@link org.sigbridge.xmpp.mapping.XmppEnvelopeMapper}. Nothing here
 * does I/O or holds state, so all of it is unit-tested without a server.
 */
package org.sigbridge.xmpp.mapping;
