package org.sigbridge.web.classic;

import org.sigbridge.web.classic.frames.Mode;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;

/**
 * websocket-over-nodejs (docs/dialects.md §2): {@code ws://HOST:PORT/ws/channels}, and every WebSocket path no other
 * dialect claims (frames recognised from the first one while the envelope dialect is enabled too). Stateless.
 */
public final class ChannelsDialect implements WebDialect {

    @Override
    public String name() {
        return ClassicSockets.CHANNELS;
    }

    @Override
    public DialectMounts mount(WebHost host) {
        boolean both = host.enabled(ClassicSockets.ENVELOPE);
        return ClassicSockets.mount(host, "/ws/channels", Mode.CHANNELS, true, both ? Mode.UNDECIDED : Mode.CHANNELS);
    }
}
