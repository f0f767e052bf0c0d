/**
 * The envelope model: {@link org.sigbridge.envelope.Envelope}, the unit every adapter translates to and from,
 * and {@link org.sigbridge.envelope.JsonValue}, which keeps a client's JSON text exactly as it was sent.
 * Nothing here does I/O; every type is an immutable value.
 */
package org.sigbridge.envelope;
