/**
 * XMPP rows of docs/interop.md: the xmpp adapter against ejabberd 23.01, and native clients that are not Smack
 * (go-sendxmpp, xmpp.js in Node) in rooms the bridge serves. One ejabberd per test class.
 */
package org.sigbridge.interop.xmpp;
