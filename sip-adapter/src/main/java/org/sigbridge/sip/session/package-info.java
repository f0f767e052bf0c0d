/**
 * The SIP leg at run time: {@link org.sigbridge.sip.session.ClientRequests} (client transactions with a deadline
 * and digest answers), {@link org.sigbridge.sip.session.Registration} (its REGISTERs built and read by
 * {@link org.sigbridge.sip.session.RegisterMessages}) and {@link org.sigbridge.sip.session.ProxyKeepalive},
 * {@link org.sigbridge.sip.session.OutboundSender} (one ordered conversation per channel member),
 * {@link org.sigbridge.sip.session.InboundHandler} (maps, publishes, answers) and {@link org.sigbridge.sip.session.Membership};
 * {@link org.sigbridge.sip.session.ParticipantAnnouncer} and {@link org.sigbridge.sip.session.AnnouncedParticipants}
 * tell other bridges our participants and keep theirs (RFC 4575 conference-info, docs/design.md §5.7).
 * JAIN-SIP threads only map, publish, answer and hand work to the adapter's single worker thread.
 */
package org.sigbridge.sip.session;
