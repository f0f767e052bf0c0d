package org.sigbridge.web.classic;

import org.sigbridge.web.classic.frames.Mode;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;

/**
 * The envelope dialect ({@code {sender, channel, message}} in and out, docs/design.md §3.3): {@code ws://HOST:PORT/ws/envelope},
 * and the catch-all path when the channels dialect is not enabled. Stateless.
 */
public final class EnvelopeDialect implements WebDialect {

    @Override
    public String name() {
        return ClassicSockets.ENVELOPE;
    }

    @Override
    public DialectMounts mount(WebHost host) {
        boolean channelsOwnsCatchAll = host.enabled(ClassicSockets.CHANNELS);
        return ClassicSockets.mount(host, "/ws/envelope", Mode.ENVELOPE, !channelsOwnsCatchAll, Mode.ENVELOPE);
    }
}
