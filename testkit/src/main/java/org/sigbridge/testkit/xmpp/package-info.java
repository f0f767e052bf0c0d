/**
 * Native XMPP users for tests: {@link org.sigbridge.testkit.xmpp.NativeXmppUser} is a person with an
 * ordinary Smack client in one MUC room of a loopback {@link org.sigbridge.testkit.peers.XmppServer} (Prosody or ejabberd),
 * recording what the room shows it in bounded-wait queues. One per test, closed by the test.
 */
package org.sigbridge.testkit.xmpp;
