package org.sigbridge.sip.session;

import java.text.ParseException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sip.InvalidArgumentException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.stack.SipStackRunner;

/**
 * {@link TlsPeers}' probe: an OPTIONS (RFC 3261 §11) to {@code sips:<host:port>} over TLS, sent on the worker thread
 * through {@link ClientRequests}; any final response means the TLS peer works again (its handshake and certificate
 * passed), none means it does not yet. The TLS failure itself reaches {@link TlsPeers} through {@link ClientRequests}.
 */
public final class TlsProbe implements BiConsumer<String, Consumer<Boolean>> {

    private final SipSettings settings;
    private final SipStackRunner stack;
    private final ClientRequests requests;
    private final String callId;
    private final String fromTag = Branches.tag();
    private long cseq;

    public TlsProbe(SipSettings settings, SipStackRunner stack, ClientRequests requests) {
        this.settings = settings;
        this.stack = stack;
        this.requests = requests;
        this.callId = Branches.callId(settings.listenHost());
    }

    /** Sends the probe to {@code peer} ({@code host:port}); worker thread. {@code answered} hears once, on any thread. */
    @Override
    public void accept(String peer, Consumer<Boolean> answered) {
        Request options;
        try {
            options = build(SipSettings.HostPort.parse(peer, "TLS peer"));
        } catch (RuntimeException e) {
            answered.accept(false);
            return;
        }
        requests.send(options, (status, reason, response) -> answered.accept(response.isPresent()));
    }

    private Request build(SipSettings.HostPort peer) {
        HeaderFactory headers = stack.headerFactory();
        AddressFactory addresses = stack.addressFactory();
        try {
            SipURI target = addresses.createSipURI(null, peer.host());
            target.setSecure(true);
            target.setPort(peer.port());
            String user = settings.username() == null ? "sigbridge" : settings.username();
            SipURI fromUri = addresses.createSipURI(user, settings.domain());
            // as the envelope mapper's MESSAGEs over TLS do: JAIN-SIP picks the TLS listening point by the Via transport
            ViaHeader via = headers.createViaHeader(settings.listenHost(), settings.listenPort(), "tls", Branches.branch());
            via.setRPort();
            return stack.messageFactory().createRequest(target, Request.OPTIONS, headers.createCallIdHeader(callId),
                    headers.createCSeqHeader(++cseq, Request.OPTIONS), headers.createFromHeader(addresses.createAddress(fromUri), fromTag),
                    headers.createToHeader(addresses.createAddress(target), null), List.of(via), headers.createMaxForwardsHeader(70));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build OPTIONS to " + peer + ": " + e.getMessage(), e);
        }
    }
}
