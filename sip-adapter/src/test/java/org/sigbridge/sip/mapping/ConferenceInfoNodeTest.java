package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster node id a bridge that is an instance of a cluster writes into its conference-info documents
 * (docs/design.md §5.7): an extension element in its own namespace after {@code users}, read back exactly; a document
 * without one, or with one that is no node id, reads as another bridge's.
 */
class ConferenceInfoNodeTest {

    private static ConferenceInfo read(String xml) {
        return assertInstanceOf(ConferenceInfoParser.Parsed.class, ConferenceInfoParser.parse(xml.getBytes(StandardCharsets.UTF_8))).info();
    }

    @Test
    void theNodeIdReadsBack() {
        ConferenceInfo info = new ConferenceInfo("sip:duo@localhost", true, 3,
                List.of(new ConferenceInfo.User("k3q9z0m2xa:web-17", "alice", false)), "k3q9z0m2xa");
        String xml = info.write("localhost");
        assertTrue(xml.contains("<node xmlns=\"urn:x-sigbridge:cluster\">k3q9z0m2xa</node>"), xml);
        assertEquals(info, read(xml));
        assertNull(read(new ConferenceInfo("sip:duo@localhost", true, 3, List.of()).write("localhost")).node(), "no cluster: no node");
    }

    @Test
    void aNodeElementThatIsNoNodeIdIsIgnoredAndOneInAnotherNamespaceToo() {
        String bad = """
                <conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:duo@h" state="full" version="1">
                  <users/><node xmlns="urn:x-sigbridge:cluster">NOT a node id!</node>
                </conference-info>""";
        assertNull(read(bad).node());
        String other = """
                <conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:duo@h" state="full" version="1">
                  <users/><node xmlns="urn:example:other">k3q9z0m2xa</node><node>abc</node>
                </conference-info>""";
        assertNull(read(other).node());
        assertThrows(IllegalArgumentException.class, () -> new ConferenceInfo("sip:duo@h", true, 1, List.of(), "A:B"));
    }
}
