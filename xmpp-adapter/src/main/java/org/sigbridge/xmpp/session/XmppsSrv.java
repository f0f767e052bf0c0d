package org.sigbridge.xmpp.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jivesoftware.smack.ConnectionConfiguration.DnssecMode;
import org.jivesoftware.smack.util.DNSUtil;
import org.jivesoftware.smack.util.dns.DNSResolver;
import org.jivesoftware.smack.util.rce.RemoteConnectionEndpointLookupFailure;
import org.minidns.dnsname.DnsName;
import org.minidns.record.SRV;
import org.minidns.util.SrvUtil;

/**
 * The DNS SRV lookup of XEP-0368 for {@code tls: direct} without a configured {@code host}: {@code
 * _xmpps-client._tcp.<domain>}, in the order of RFC 2782 (priority, then weight). Smack's {@code XMPPTCPConnection}
 * looks up only {@code _xmpp-client._tcp} (RFC 6120 §3.2.1), the STARTTLS service, so the adapter asks Smack's
 * resolver itself and hands Smack the chosen target as its host. Blocks on DNS: request threads only. Stateless.
 */
final class XmppsSrv {

    /** The service label of direct-TLS client connections (XEP-0368 §3). */
    static final String SERVICE = "_xmpps-client._tcp";

    /** Where to connect: an SRV record's target name and port. */
    record Target(DnsName host, int port) {
    }

    private XmppsSrv() {
    }

    /** {@code _xmpps-client._tcp.example.org} for {@code example.org}. */
    static DnsName name(String domain) {
        return DnsName.from(DnsName.from(SERVICE), DnsName.from(domain));
    }

    /**
     * The SRV records of {@code domain}'s direct-TLS service, best first (RFC 2782); empty when there are none, the
     * lookup failed, or Smack has no resolver. A single target "." means the service is decidedly not offered
     * (RFC 2782): empty too.
     */
    static List<Target> lookup(String domain) {
        DNSResolver resolver = DNSUtil.getDNSResolver();
        if (resolver == null) {
            return List.of();
        }
        List<RemoteConnectionEndpointLookupFailure> failures = new ArrayList<>();
        Collection<SRV> records = resolver.lookupSrvRecords(name(domain), failures, DnssecMode.disabled);
        if (records == null || records.isEmpty()) {
            return List.of();
        }
        List<Target> targets = new ArrayList<>();
        for (SRV srv : SrvUtil.sortSrvRecords(records)) {
            targets.add(new Target(srv.target, srv.port));
        }
        return targets;
    }

    /** The best target, if any. */
    static Optional<Target> best(String domain) {
        return lookup(domain).stream().findFirst();
    }
}
