package org.sigbridge.sip;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.Optional;
import org.sigbridge.config.Check;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;
import org.sigbridge.spi.AdapterSettings;

/**
 * The {@code type: sip} section (every key is documented in {@code conf/reference/sip.md}). Empty strings,
 * which {@code ${VAR:-}} yields for an unset variable, mean "not set" for every optional key.
 *
 * @param listenHost          address of the UDP and TCP listening points; default {@code 127.0.0.1}
 * @param listenPort          their port (one number for UDP and TCP); default 5060
 * @param domain              the bridge's SIP domain: From URIs, its AOR, the Request-URI hosts it answers for;
 *                            default {@code listenHost}
 * @param proxy               {@code host:port} of the outbound proxy and registrar; empty: send to each
 *                            member URI directly and do not register
 * @param username            the bridge's AOR user, {@code sip:username@domain}; set it to REGISTER
 * @param password            digest password for 401/407 challenges; empty: answer no challenge
 * @param registerChannels    with a registrar (proxy or username), register each open channel's AOR
 *                            {@code sip:<channel>@domain}, so user agents reach a channel through it; default true
 * @param registerExpires     the registration lifetime asked for; refreshed before it runs out
 * @param keepaliveInterval   OPTIONS ping to the proxy this often, to notice it going away and
 *                            re-register when it returns; {@code 0s} turns it off
 * @param tls                 an optional TLS listening point
 * @param maxBodyBytes        largest MESSAGE body accepted (413 above) or sent
 * @param memberTtl           how long a UA that sent a MESSAGE stays a channel member without sending again
 * @param maxMembersPerChannel dynamic members kept per channel; the least recently active is dropped beyond
 * @param requestTimeout      how long an outgoing request may wait for its final response
 * @param maxQueuedPerMember  envelopes waiting per (channel, member) conversation; beyond, the sender is told
 * @param maxInboundPerSecond incoming requests accepted per second before 503 + Retry-After
 * @param registerTransport   {@code udp} or {@code tcp}: how REGISTER, and so the requests the registrar relays to
 *                            the bridge's contacts, travel; default {@code udp}
 * @param maxInFlightPerMember MESSAGEs of one (channel, member) conversation sent before the first is answered,
 *                            over TCP or TLS only (UDP keeps 1); default 1
 * @param registerBackoffCap  the longest wait before a REGISTER is retried after a failure; retries start at up
 *                            to 1s and double, each drawn at random from the upper half; default 30s
 * @param announceParticipants whether this bridge tells the other bridges of a channel which participants it has, in
 *                            RFC 4575 conference-info MESSAGEs (docs/design.md §5.7); default true
 */
public record SipSettings(String listenHost, Integer listenPort, String domain, String proxy, String username,
                          @JsonDeserialize(using = OptionalSecret.class) Secret password,
                          Boolean registerChannels, Duration registerExpires, Duration keepaliveInterval, TlsSettings tls,
                          Integer maxBodyBytes, Duration memberTtl, Integer maxMembersPerChannel,
                          Duration requestTimeout, Integer maxQueuedPerMember, Integer maxInboundPerSecond,
                          String registerTransport, Integer maxInFlightPerMember, Duration registerBackoffCap,
                          Boolean announceParticipants)
        implements AdapterSettings {

    public SipSettings {
        listenHost = Check.blankToNull(listenHost) == null ? "127.0.0.1" : listenHost.trim();
        if (listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.equals("[::]")) {
            // The listen address goes into Via and Contact headers, where a wildcard cannot be reached.
            throw new IllegalArgumentException("listen-host must be a concrete address (it goes into Via and Contact), not "
                    + listenHost + "; e.g. 127.0.0.1 or this host's LAN address");
        }
        listenPort = listenPort == null ? 5060 : listenPort;
        if (listenPort < 1 || listenPort > 65535) {
            // JAIN-SIP cannot bind port 0, so an ephemeral port is no option here.
            throw new IllegalArgumentException("listen-port must be 1-65535 (JAIN-SIP cannot bind port 0), not " + listenPort);
        }
        domain = Check.blankToNull(domain) == null ? listenHost : domain.trim();
        proxy = Check.blankToNull(proxy);
        if (proxy != null) {
            proxy = proxy.trim();
            HostPort.parse(proxy, "proxy");
        }
        username = Check.blankToNull(username);
        if (username != null && !username.matches("[A-Za-z0-9._~!*'()&=+$,;?/-]+")) {
            throw new IllegalArgumentException("username '" + username + "' is not a valid SIP user part; use letters, digits, '.', '_' or '-'");
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("password is set but username is not; set username (the AOR user) too");
        }
        registerChannels = registerChannels == null || registerChannels;
        registerExpires = Check.positive("register-expires", registerExpires, Duration.ofMinutes(10));
        if (registerExpires.toSeconds() < 1) {
            throw new IllegalArgumentException("register-expires must be at least 1s");
        }
        keepaliveInterval = Check.zeroOrPositive("keepalive-interval", keepaliveInterval, Duration.ofSeconds(30));
        maxBodyBytes = Check.range("max-body-bytes", maxBodyBytes, 64 * 1024, 256, 1024 * 1024);
        memberTtl = Check.positive("member-ttl", memberTtl, Duration.ofMinutes(2));
        maxMembersPerChannel = Check.atLeast("max-members-per-channel", maxMembersPerChannel, 32, 1);
        requestTimeout = Check.positive("request-timeout", requestTimeout, Duration.ofSeconds(10));
        maxQueuedPerMember = Check.atLeast("max-queued-per-member", maxQueuedPerMember, 64, 1);
        maxInboundPerSecond = Check.atLeast("max-inbound-per-second", maxInboundPerSecond, 200, 1);
        registerTransport = Check.blankToNull(registerTransport) == null ? "udp" : registerTransport.trim().toLowerCase(java.util.Locale.ROOT);
        if (!registerTransport.equals("udp") && !registerTransport.equals("tcp")) {
            throw new IllegalArgumentException("register-transport must be udp or tcp, got " + registerTransport);
        }
        maxInFlightPerMember = Check.atLeast("max-in-flight-per-member", maxInFlightPerMember, 1, 1);
        if (maxInFlightPerMember > maxQueuedPerMember) {
            throw new IllegalArgumentException("max-in-flight-per-member (" + maxInFlightPerMember
                    + ") must not exceed max-queued-per-member (" + maxQueuedPerMember + ")");
        }
        registerBackoffCap = Check.positive("register-backoff-cap", registerBackoffCap, Duration.ofSeconds(30));
        if (registerBackoffCap.compareTo(Duration.ofSeconds(1)) < 0 || registerBackoffCap.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("register-backoff-cap must be between 1s and 1h, e.g. 30s");
        }
        announceParticipants = announceParticipants == null || announceParticipants;
    }

    /** Whether the bridge REGISTERs: a username and a registrar (the proxy, else the domain) are set. */
    public boolean registers() {
        return username != null;
    }

    /**
     * Whether each open channel's AOR {@code sip:<channel>@domain} is registered: {@code register-channels}
     * and a registrar (a proxy, or a username for the domain's registrar). Needs no username of its own.
     */
    public boolean registersChannels() {
        return registerChannels && (proxy != null || username != null);
    }

    /** The outbound proxy, if configured. */
    public Optional<HostPort> proxyAddress() {
        return proxy == null ? Optional.empty() : Optional.of(HostPort.parse(proxy, "proxy"));
    }

    /** Where REGISTER goes: the proxy, else the domain on port 5060. */
    public HostPort registrar() {
        return proxyAddress().orElseGet(() -> new HostPort(domain, 5060));
    }

    public Optional<TlsSettings> tlsSettings() {
        return Optional.ofNullable(tls);
    }

    /** A {@code host:port} pair from config. */
    public record HostPort(String host, int port) {

        /** Parses {@code host:port} ({@code [v6]:port} too); the port is required. */
        public static HostPort parse(String text, String key) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1 || text.indexOf(' ') >= 0) {
                throw new IllegalArgumentException(key + " '" + text + "' must be host:port, e.g. 127.0.0.1:5060");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " '" + text + "' must end in a port number, e.g. 127.0.0.1:5060");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(key + " port must be 1-65535, got " + port);
            }
            return new HostPort(text.substring(0, colon), port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
