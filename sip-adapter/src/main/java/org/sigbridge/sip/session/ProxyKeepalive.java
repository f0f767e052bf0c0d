package org.sigbridge.sip.session;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.stack.SipStackRunner;

/**
 * Pings the outbound proxy with OPTIONS (RFC 3261 §11) every {@code keepalive-interval}. Any final
 * response means it is alive; none within the request timeout means it is lost, and the leg goes DOWN.
 * When it answers again the registration is renewed at once, since a restarted registrar has forgotten
 * us. Runs on the worker thread; one ping in flight at a time.
 */
public final class ProxyKeepalive {

    private final SipSettings settings;
    private final SipSettings.HostPort proxy;
    private final ClientRequests requests;
    private final ScheduledExecutorService worker;
    private final LegReporter leg;
    private final Supplier<Collection<Registration>> registrations;
    private final SipStackRunner stack;
    private final String callId;
    private final String fromTag = Branches.tag();
    private long cseq;
    private boolean inFlight;
    private boolean alive = true;

    public ProxyKeepalive(SipSettings settings, SipSettings.HostPort proxy, SipStackRunner stack, ClientRequests requests,
                          ScheduledExecutorService worker, LegReporter leg, Supplier<Collection<Registration>> registrations) {
        this.settings = settings;
        this.proxy = proxy;
        this.stack = stack;
        this.requests = requests;
        this.worker = worker;
        this.leg = leg;
        this.registrations = registrations;
        this.callId = Branches.callId(settings.listenHost());
    }

    /** Starts pinging; a no-op when the interval is zero. */
    public void start() {
        Duration every = settings.keepaliveInterval();
        if (every.isZero()) {
            return;
        }
        try {
            worker.scheduleWithFixedDelay(this::ping, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void ping() {
        if (inFlight) {
            return;
        }
        inFlight = true;
        requests.send(options(), (status, reason, response) -> {
            try {
                worker.execute(() -> answered(response.isPresent(), status + " " + reason));
            } catch (RejectedExecutionException e) {
                // closing
            }
        });
    }

    private void answered(boolean gotResponse, String outcome) {
        inFlight = false;
        if (gotResponse && !alive) {
            alive = true;
            leg.proxy(true, null);
            registrations.get().forEach(Registration::proxyAlive);
        } else if (!gotResponse && alive) {
            alive = false;
            registrations.get().forEach(Registration::proxyLost);
            leg.proxy(false, "proxy " + proxy + " not answering OPTIONS (" + outcome + ")");
        }
    }

    private Request options() {
        HeaderFactory headers = stack.headerFactory();
        AddressFactory addresses = stack.addressFactory();
        try {
            SipURI target = addresses.createSipURI(null, proxy.host());
            target.setPort(proxy.port());
            String transport = settings.registerTransport(); // the path the registrar reaches us by
            if (!transport.equals("udp")) {
                target.setTransportParam(transport);
            }
            String user = settings.username() == null ? "sigbridge" : settings.username();
            Address from = addresses.createAddress(addresses.createSipURI(user, settings.domain()));
            ViaHeader via = headers.createViaHeader(settings.listenHost(), settings.listenPort(), transport, Branches.branch());
            via.setRPort();
            return stack.messageFactory().createRequest(target, Request.OPTIONS, headers.createCallIdHeader(callId),
                    headers.createCSeqHeader(++cseq, Request.OPTIONS), headers.createFromHeader(from, fromTag),
                    headers.createToHeader(addresses.createAddress(target), null), List.of(via), headers.createMaxForwardsHeader(70));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build OPTIONS to " + proxy + ": " + e.getMessage(), e);
        }
    }
}
