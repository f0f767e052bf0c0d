package org.sigbridge.web.session;

import org.sigbridge.web.WebSettings;

/**
 * The per-connection limits a dialect enforces, taken from {@link WebSettings}.
 *
 * @param maxChannels         channels one socket may join
 * @param messagesPerSecond   token bucket refill
 * @param burst               token bucket size
 * @param closeAfter          refused frames in a row before 1008
 * @param outboundQueueFrames outbound queue bound
 * @param outboundBatchFrames frames per write
 */
public record SessionLimits(int maxChannels, int messagesPerSecond, int burst, int closeAfter, int outboundQueueFrames,
                            int outboundBatchFrames) {

    public static SessionLimits from(WebSettings s) {
        return new SessionLimits(s.maxChannelsPerConnection(), s.rateLimit().messagesPerSecond(), s.rateLimit().burst(),
                s.rateLimit().closeAfter(), s.outboundQueueFrames(), s.outboundBatchFrames());
    }
}
