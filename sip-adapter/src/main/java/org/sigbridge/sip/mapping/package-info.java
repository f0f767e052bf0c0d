/**
 * Pure translation between SIP requests and envelopes: {@link org.sigbridge.sip.mapping.SipEnvelopeMapper}
 * turns an incoming MESSAGE into an envelope or a status to answer, and an envelope into an RFC 3428 MESSAGE;
 * {@link org.sigbridge.sip.mapping.SipSender} names and addresses the user agent that sent a request;
 * {@link org.sigbridge.sip.mapping.ConferenceInfo} and {@link org.sigbridge.sip.mapping.ConferenceInfoParser} write and
 * read the RFC 4575 documents in which bridges announce their participants (docs/design.md §5.7).
 * Nothing here does I/O or keeps state; JAIN-SIP's message, header and address factories are pure objects.
 */
package org.sigbridge.sip.mapping;
