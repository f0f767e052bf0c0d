package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * A thousand draws from some 22,000 ports would repeat a number almost surely if each draw were independent (the
     * birthday bound); a peer that draws two ports before binding either must never get the same one twice.
     */
    @Test
    void portsDrawnOneAfterAnotherAreNeverTheSameNumber() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            seen.add(FreePorts.tcpAndUdp());
        }
        assertEquals(1_000, seen.size(), "a port handed out twice among 1,000 draws");
    }
}
