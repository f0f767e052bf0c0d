/**
 * The socketio-over-nodejs family (docs/socketio-09.md): a namespace per channel, root {@code new-channel} and
 * {@code presence}, the namespace {@code message} relay ({@code data} unwrapped, sender excluded) and {@code user-left}.
 */
package org.sigbridge.web.socketio.overnodejs;
