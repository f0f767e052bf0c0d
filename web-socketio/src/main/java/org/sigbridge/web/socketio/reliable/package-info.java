/**
 * The Reliable-Signaler family (docs/socketio-09.md "Reliable-Signaler"): the root {@code message} relay plus the room
 * registry events {@code keep-in-server}, {@code get-session-info} and {@code keep-session}, with acks.
 */
package org.sigbridge.web.socketio.reliable;
