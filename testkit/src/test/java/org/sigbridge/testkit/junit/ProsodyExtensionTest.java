package org.sigbridge.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.peers.XmppTestClients;

@Timeout(30)
class ProsodyExtensionTest {
    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension(options -> options.users("erin"));

    @Test
    void givesTheTestARunningServer() {
        assertTrue(PROSODY.server().isRunning());
    }

    @Test
    void registersTheUsersNamedInTheOptions() throws Exception {
        XMPPTCPConnection erin = XmppTestClients.plain(PROSODY.server(), "erin");
        try {
            assertEquals("erin@localhost", erin.getUser().asBareJid().toString());
        } finally {
            erin.disconnect();
        }
    }
}
