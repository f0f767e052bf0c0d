package org.sigbridge.xmpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DefaultNickTest {

    @Test
    void aConfiguredNickWins() {
        assertEquals("relay", DefaultNick.of("relay", "sigbridge", "k3q9z0m2xa"));
    }

    @Test
    void aBridgeNameTheOperatorChoseIsTheNick() {
        assertEquals("edge-1", DefaultNick.of(null, "edge-1", "k3q9z0m2xa"));
    }

    @Test
    void theBuiltInNameGetsFourCharactersOfTheNodeId() {
        assertEquals("sigbridge-k3q9", DefaultNick.of(null, "sigbridge", "k3q9z0m2xa"));
    }

    @Test
    void twoProcessesWithTheBuiltInNameGetTwoNicks() {
        assertNotEquals(DefaultNick.of(null, "sigbridge", "aaaa1111"), DefaultNick.of(null, "sigbridge", "bbbb2222"));
    }

    @Test
    void withoutANodeIdTheSuffixIsRandom() {
        String nick = DefaultNick.of(null, "sigbridge", "sigbridge");
        assertTrue(nick.matches("sigbridge-[a-z0-9]{4}"), nick);
    }
}
