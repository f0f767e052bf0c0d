package org.sigbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * {@link SipStackRunner#close} releases the listening ports before it returns (docs/library-assumptions.md#jain-sip),
 * without JAIN-SIP's fixed second: a stack started again on the same UDP and TCP port right after the close binds them
 * (as a reload or restart does), even with a TCP connection still open to the old one, and so does a plain UDP socket after
 * the last close. Five rounds, since the release is done by JAIN-SIP's own threads.
 */
@Timeout(60)
class SipStackCloseTest {

    @Test
    void aStackStartedOnTheSamePortsRightAfterCloseBindsThem() throws Exception {
        int port = FreePorts.tcpAndUdp();
        SipSettings settings = (SipSettings) new ConfigLoader(ConfigLoader.installedFactories(), name -> null).parse("""
                adapters:
                  sip:
                    type: sip
                    listen-host: 127.0.0.1
                    listen-port: %d
                    domain: localhost
                """.formatted(port), "close.yml").adapters().get("sip");
        Socket client = null;
        try {
            for (int round = 0; round < 5; round++) {
                SipStackRunner runner = SipStackRunner.start("close-" + round, settings, new Silent()); // binds, or throws
                try {
                    assertEquals("udp+tcp", runner.transports());
                    if (client != null) {
                        client.close();
                    }
                    client = new Socket("127.0.0.1", port); // a connection to the stack, still open at the next start
                } finally {
                    runner.close();
                }
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertTrue(udp.isBound());
        }
    }

    /** Hears nothing: no request is sent. */
    private static final class Silent implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
        }

        @Override
        public void processResponse(ResponseEvent event) {
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }
    }
}
