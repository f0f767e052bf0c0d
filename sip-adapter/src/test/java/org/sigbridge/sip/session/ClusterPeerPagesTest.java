package org.sigbridge.sip.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.sip.mapping.ConferenceInfo;

/**
 * What other instances of this cluster announced through a channel's shared AOR (docs/design.md §5.7): applied per
 * sender in version order, a partial state on top of the full one, a stale document ignored, a new Call-ID starting
 * over, an empty full state forgetting the sender.
 */
class ClusterPeerPagesTest {

    private static ConferenceInfo doc(boolean full, long version, ConferenceInfo.User... users) {
        return new ConferenceInfo("sip:duo@h", full, version, List.of(users), "node1");
    }

    private static ConferenceInfo.User on(String id) {
        return new ConferenceInfo.User(id, id, false);
    }

    private static ConferenceInfo.User gone(String id) {
        return new ConferenceInfo.User(id, id, true);
    }

    @Test
    void documentsAreAppliedInVersionOrderPerSender() {
        ClusterPeerPages pages = new ClusterPeerPages();
        pages.apply("duo", "node1", "call-1", doc(true, 1, on("p1"), on("p2")));
        pages.apply("duo", "node1", "call-1", doc(false, 2, gone("p1"), on("p3")));
        assertFalse(pages.announces("duo", "p1"));
        assertTrue(pages.announces("duo", "p2") && pages.announces("duo", "p3"));
        assertFalse(pages.announces("other", "p2"), "per channel");

        pages.apply("duo", "node1", "call-1", doc(false, 2, on("p1"))); // stale
        assertFalse(pages.announces("duo", "p1"));

        pages.apply("duo", "node1", "call-2", doc(true, 1, on("p9"))); // a restarted sender starts over
        assertTrue(pages.announces("duo", "p9"));
        assertFalse(pages.announces("duo", "p2"));

        pages.apply("duo", "node1", "call-2", doc(true, 2)); // its side of the channel closed
        assertFalse(pages.announces("duo", "p9"));
    }
}
