package org.sigbridge.cluster;

import java.util.HashMap;
import java.util.Map;
import org.sigbridge.cluster.wire.EnvelopeCodec;

/**
 * What the {@link Receiver} knows of one shared channel open here: the log position delivered up to, and the
 * participants other instances have on it. Touched only under the {@link Receiver}'s lock: by its thread, or by the
 * pub/sub thread when it delivers a frame itself.
 */
final class ChannelState {

    final SharedChannel channel;
    /** The log's epoch as last seen, or {@code null} when the channel had no log then. */
    String epoch;
    /** The highest offset delivered (or skipped as this instance's own) in {@link #epoch}. */
    long last;
    /** Whether the subject subscription and first position read are done. */
    boolean subscribed;
    boolean synced;
    /** Whether the first position read (at open) is done. */
    boolean positioned;
    /** Other instances' participants: field {@code <instance> <endpoint id>} → member. */
    final Map<String, EnvelopeCodec.Member> roster = new HashMap<>();

    ChannelState(SharedChannel channel) {
        this.channel = channel;
    }

    /** The instance part of a roster field. */
    static String instanceOf(String field) {
        int space = field.indexOf(' ');
        return space < 0 ? field : field.substring(0, space);
    }
}
