/**
 * The {@code xmpp} adapter: channels as XMPP MUC rooms through Smack 4.4 (docs/design.md §4).
 * {@link org.sigbridge.xmpp.XmppAdapterFactory} is the {@link java.util.ServiceLoader} entry; the
 * {@link org.sigbridge.xmpp.XmppAdapter} owns the threads, the bridge session and the room directory.
 */
package org.sigbridge.xmpp;
