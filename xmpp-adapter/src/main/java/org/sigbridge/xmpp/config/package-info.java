/**
 * The {@code type: xmpp} config section: {@link org.sigbridge.xmpp.config.XmppSettings}, validated in its
 * constructor before any I/O, and the small enums its keys take. Every key is documented in
 * {@code conf/reference/xmpp.md}.
 */
package org.sigbridge.xmpp.config;
