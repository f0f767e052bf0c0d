package org.sigbridge.dist.e2e;

import java.util.Map;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;

/** YAML for bridges whose web adapter's channels go over SIP MESSAGE through a test Kamailio. */
final class SipBridges {

    private SipBridges() {
    }

    /**
     * A bridge named {@code name} with a web adapter on a free port and a sip adapter on a probed UDP+TCP port,
     * registered at Kamailio as {@code sip:<user>@localhost} (and each open channel's AOR), with
     * {@code routes} as its routing table; {@code webExtra} adds lines to the web section.
     */
    static RunningBridge start(KamailioServer kamailio, String name, String user, String routes, String webExtra) throws Exception {
        String yaml = RunningBridge.webFrontedYaml(name, webExtra) + """
                  sip:
                    type: sip
                    listen-port: ${SIP_PORT}
                    domain: %s
                    proxy: 127.0.0.1:${KAMAILIO_PORT}
                    username: %s
                    keepalive-interval: 300ms
                    request-timeout: 2s
                routes:
                %s
                """.formatted(kamailio.domain(), user, routes.indent(2));
        return RunningBridge.start(yaml, Map.of("SIP_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KAMAILIO_PORT", Integer.toString(kamailio.port())));
    }
}
