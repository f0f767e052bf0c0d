package org.sigbridge.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two browser dialects the generator speaks (docs/design.md §3, docs/dialects.md §2). Channel names and senders
 * the generator makes are plain ASCII, so frames are built by concatenation without escaping.
 */
public enum WireDialect {
    /** {@code {open:true,channel}} subscribes; {@code {channel,data}} publishes; members get the bare data. */
    CHANNELS,
    /** {@code {sender,channel,message}} in and out; the socket joins by {@code ?channel=} in its URL. */
    ENVELOPE;

    public static WireDialect parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The URI one client connects to: envelope sockets name their channel in the query string. */
    public URI connectUri(URI base, String channel) {
        if (this == CHANNELS) {
            return base;
        }
        String separator = base.getRawQuery() == null ? "?" : "&";
        return URI.create(base + separator + "channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }

    /** The frame sent right after connecting, or an empty string when the URL already joined the channel. */
    public String openFrame(String channel) {
        return this == CHANNELS ? "{\"open\":true,\"channel\":\"" + channel + "\"}" : "";
    }

    /** A publish frame carrying {@code body} (a JSON object text) from client {@code sender} on {@code channel}. */
    public String publishFrame(String channel, int sender, String body) {
        if (this == CHANNELS) {
            return "{\"channel\":\"" + channel + "\",\"data\":" + body + "}";
        }
        return "{\"sender\":\"" + sender + "\",\"channel\":\"" + channel + "\",\"message\":" + body + "}";
    }
}
