/**
 * Pure translation between SIP requests and envelopes: {@link org.sigbridge.sip.mapping.SipEnvelopeMapper}
 * turns an incoming MESSAGE into an envelope or a status to answer, and an envelope into an RFC 3428 MESSAGE.
 * Nothing here does I/O or keeps state; JAIN-SIP's message, header and address factories are pure objects.
 */
package org.sigbridge.sip.mapping;
