package org.sigbridge.testing;

import org.sigbridge.spi.AdapterSettings;

/**
 * Settings of a {@code type: recording} adapter.
 *
 * @param reject when set, every envelope delivered to a link is refused with this error code's wire
 *               name (e.g. {@code upstream_unavailable}), to test failure reporting
 * @param queue  when true, links answer {@code Queued} instead of {@code Delivered}
 */
public record RecordingSettings(String reject, Boolean queue) implements AdapterSettings {

    public RecordingSettings {
        queue = queue != null && queue;
    }
}
