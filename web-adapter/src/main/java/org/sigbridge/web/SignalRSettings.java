package org.sigbridge.web;

import java.time.Duration;
import java.util.Locale;
import org.sigbridge.config.Check;

/**
 * The {@code signalr:} subsection: the ASP.NET Core SignalR hubs ({@code web-signalr}, docs/signalr.md), read by the
 * {@code signalr} dialect when it is installed and enabled. Durations mirror the ASP.NET Core server's
 * {@code HubOptions} of the same names.
 *
 * @param enabled           serve the hubs; default true
 * @param path              the prefix of every hub, {@code /name/}; a hub is {@code {path}{any hub name}}; default
 *                          {@code /hubs/}
 * @param channel           the hub channel of a {@code Send} whose text is not the seed's {@code {message, channel}}
 *                          JSON; {@code {hub}} stands for the hub's name; default {@code signalr/{hub}}
 * @param clients           who hears a {@code Send}: {@code all} (the sender too, {@code Clients.All}) or
 *                          {@code others} ({@code Clients.Others}); default {@code all}
 * @param keepAliveInterval a connection that was written nothing for this long is sent a ping; default 15s
 * @param clientTimeout     a connection that sent nothing (not even a ping) for this long is closed; default 30s
 * @param handshakeTimeout  a connection that sent no handshake for this long is closed, and a negotiated connection
 *                          token that no socket used for this long is forgotten; default 15s
 * @param maxMessageBytes   the largest hub message (one record) a client may send; a longer one closes the connection
 *                          with a Close message that says why; default 32768 (the ASP.NET Core default)
 * @param classic           also serve the classic ASP.NET SignalR 2 hub (jQuery {@code $.connection.hub}); default true
 * @param classicPath       the classic hub's path, {@code /name}: negotiate, connect, … and the {@code hubs} proxy
 *                          script below it; default {@code /signalr}
 * @param routeBy           how a {@code Send} picks its channel: {@code channel} (the {@code channel} inside the seed's
 *                          {@code {message, channel}} text, else the hub channel) or {@code hub} (always the hub channel
 *                          {@link #channel()}, which every connection of the hub hears from the moment it connects);
 *                          default {@code channel} (docs/signalr.md#channels)
 */
public record SignalRSettings(Boolean enabled, String path, String channel, String clients, Duration keepAliveInterval,
                              Duration clientTimeout, Duration handshakeTimeout, Integer maxMessageBytes, Boolean classic,
                              String classicPath, String routeBy) {

    public static final SignalRSettings DEFAULTS = new SignalRSettings(null, null, null, null, null, null, null, null, null, null, null);

    public SignalRSettings {
        enabled = enabled == null || enabled;
        path = path == null ? "/hubs/" : path.endsWith("/") ? path : path + "/";
        channel = channel == null ? "signalr/{hub}" : channel;
        clients = clients == null ? "all" : clients.toLowerCase(Locale.ROOT);
        keepAliveInterval = keepAliveInterval == null ? Duration.ofSeconds(15) : keepAliveInterval;
        clientTimeout = clientTimeout == null ? Duration.ofSeconds(30) : clientTimeout;
        handshakeTimeout = handshakeTimeout == null ? Duration.ofSeconds(15) : handshakeTimeout;
        maxMessageBytes = maxMessageBytes == null ? 32 * 1024 : maxMessageBytes;
        classic = classic == null || classic;
        classicPath = classicPath == null ? "/signalr" : classicPath.endsWith("/") ? classicPath.substring(0, classicPath.length() - 1)
                : classicPath;
        routeBy = routeBy == null ? "channel" : routeBy.toLowerCase(Locale.ROOT);
        if (!routeBy.equals("channel") && !routeBy.equals("hub")) {
            throw new IllegalArgumentException("signalr.route-by '" + routeBy + "' must be channel (the channel inside "
                    + "{message, channel}) or hub (every Send on signalr.channel)");
        }
        if (!classicPath.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("signalr.classic-path '" + classicPath
                    + "' must be /name (letters, digits, . _ ~ -), e.g. /signalr");
        }
        if (!path.matches("/([A-Za-z0-9._~-]+/)+")) {
            throw new IllegalArgumentException("signalr.path '" + path + "' must be /name/ (letters, digits, . _ ~ -), e.g. /hubs/");
        }
        if (channel.isBlank() || channel.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("signalr.channel '" + channel + "' must be a channel name without spaces, e.g. signalr/{hub}");
        }
        if (!clients.equals("all") && !clients.equals("others")) {
            throw new IllegalArgumentException("signalr.clients '" + clients + "' must be all (Clients.All) or others (Clients.Others)");
        }
        Check.positive("signalr.keep-alive-interval", keepAliveInterval, "15s");
        Check.positive("signalr.client-timeout", clientTimeout, "30s");
        Check.positive("signalr.handshake-timeout", handshakeTimeout, "15s");
        if (keepAliveInterval.compareTo(clientTimeout) >= 0) {
            throw new IllegalArgumentException("signalr.keep-alive-interval (" + keepAliveInterval.toMillis()
                    + "ms) must be shorter than signalr.client-timeout (" + clientTimeout.toMillis()
                    + "ms); ASP.NET Core advises half of it (15s and 30s)");
        }
        Check.range("signalr.max-message-bytes", maxMessageBytes, 256, 16 * 1024 * 1024);
        if ((classicPath + "/").startsWith(path) || path.startsWith(classicPath + "/")) {
            throw new IllegalArgumentException("signalr.classic-path '" + classicPath + "' and signalr.path '" + path
                    + "' overlap; give them different first segments, e.g. /signalr and /hubs/");
        }
    }

    /** Whether the sender of a {@code Send} hears its own broadcast ({@code clients: all}). */
    public boolean echo() {
        return clients.equals("all");
    }

    /** Whether every {@code Send} goes on the hub channel {@link #channelOf} ({@code route-by: hub}). */
    public boolean routeByHub() {
        return routeBy.equals("hub");
    }

    /** The fallback channel of hub {@code hub}: {@link #channel()} with {@code {hub}} replaced. */
    public String channelOf(String hub) {
        return channel.replace("{hub}", hub);
    }
}
