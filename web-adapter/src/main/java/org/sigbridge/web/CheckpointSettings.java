package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Check;

/**
 * The {@code checkpoints:} subsection: server-side checkpoints for the seed WebSocket formats (channels and envelope),
 * whose pages carry no position (docs/design.md §3.8, "Server-side checkpoints for seed dialects"). A seed socket with a
 * sender id that closes leaves a checkpoint of where it was on each channel for {@code window}; a socket that joins the
 * same channel with the same sender id within it gets the gap replayed, once.
 *
 * @param window     how long a checkpoint waits to be claimed; {@code 0s} turns checkpoints off; default 30s, at most 10m
 * @param unverified whether sockets without verified identity ({@code identity.mode: client}) get checkpoints too;
 *                   default false, because there any page can name any sender and so take another page's gap
 *                   (conf/reference/web.md)
 */
public record CheckpointSettings(Duration window, Boolean unverified) {

    public static final CheckpointSettings DEFAULTS = new CheckpointSettings(null, null);

    public CheckpointSettings {
        window = Check.zeroOrPositive("checkpoints.window", window, Duration.ofSeconds(30));
        if (window.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("checkpoints.window must be at most 10m (a checkpoint is for a page that reconnects"
                    + " soon), not " + window.toSeconds() + "s");
        }
        unverified = unverified != null && unverified;
    }

    /** Whether a socket gets checkpoints: a window above 0 and verified identity, or {@code unverified: true}. */
    public boolean enabledFor(boolean verifiedIdentity) {
        return !window.isZero() && (verifiedIdentity || unverified);
    }
}
