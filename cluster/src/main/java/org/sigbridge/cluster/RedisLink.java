package org.sigbridge.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sigbridge.spi.LegState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's two Redis connections, on one Lettuce client: one for commands (appends, reads, leases; pipelined,
 * so the order of one thread's commands is kept) and one for pub/sub (every subscribed subject). Lettuce is set the way
 * the house rules want a client: a bounded request queue, commands rejected at once while disconnected, a timeout on
 * every command but scripts (the {@link Appender} bounds its own wait for them), reconnection within a second of Redis
 * coming back, and no script re-sent by Lettuce itself after a reconnect (the {@link Appender} re-sends them, in
 * order). With {@code cluster.sentinel} every (re)connect asks the Sentinels for the master, so a failover is
 * followed by itself (docs/cluster.md §6).
 *
 * <p>Lettuce's event-loop threads call the state listener; it only logs, records the state and hands the event to
 * {@link Events}, whose implementations only enqueue. {@link #close()} is idempotent.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    /** What the link tells the layer; called on Lettuce's threads, must only enqueue. */
    interface Events {
        /** The command connection is back after a loss. */
        void commandsBack();

        /** The pub/sub connection is back after a loss (Lettuce re-subscribes by itself). */
        void subscriptionsBack();

        /** The cluster leg changed state. */
        void leg(LegState state);
    }

    private final RedisClusterSettings settings;
    private final String instance;
    private final Events events;
    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile boolean up;
    private volatile long lostAtNanos;
    /** When the command connection last came up ({@link System#nanoTime()}). */
    private volatile long upSinceNanos = System.nanoTime();
    private volatile boolean closed;
    /** Counts the command connection's losses; read by the appender to know a reconnect happened in between. */
    private final java.util.concurrent.atomic.AtomicInteger losses = new java.util.concurrent.atomic.AtomicInteger();

    RedisLink(RedisClusterSettings settings, String instance, Events events) {
        this.settings = settings;
        this.instance = instance;
        this.events = events;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, connectUri(settings, settings.commandTimeout()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // Lettuce re-sends after a reconnect the commands that were in flight, except the one that met the
                // connection error: the appender's later scripts then ran before the failed one it sends again, and a
                // sender's order broke (the fault suite saw it, docs/cluster.md §10). Scripts are never re-sent by
                // Lettuce; they fail, and the appender sends them again in order (the id key keeps a retry single).
                .replayFilter(command -> command.getType() == CommandType.EVAL)
                .requestQueueSize(settings.requestQueue())
                // Scripts get no timeout from Lettuce: a script that timed out before Lettuce wrote it (a connection
                // still coming up after a Sentinel failover, a starved machine) is dropped unwritten while the later
                // ones of the same pipeline run, and a sender's order broke (SentinelFailoverTest saw it). The appender
                // bounds its own wait and sends a script again behind the first, which the id key keeps single.
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(new ScriptsWait(settings.commandTimeout())).build())
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build())
                .build());
        client.addListener(new StateListener());
    }

    /**
     * The Redis URI with the credentials, and {@code timeout} as Lettuce's timeout: the bound of a connection's
     * handshake ({@code HELLO}, {@code AUTH}) and the default of its synchronous calls.
     */
    private static RedisURI connectUri(RedisClusterSettings settings, Duration timeout) {
        RedisURI uri = uri(settings);
        if (settings.password() != null) {
            if (settings.user() != null) {
                uri.setAuthentication(settings.user(), settings.password().reveal());
            } else {
                uri.setAuthentication(settings.password().reveal());
            }
        }
        uri.setTimeout(timeout);
        return uri;
    }

    /**
     * The Redis URI: the fixed address, or the Sentinels with the master name. Lettuce asks the Sentinels for the
     * master's address at every (re)connect, so after a failover the connections come back to the new master.
     */
    static RedisURI uri(RedisClusterSettings settings) {
        SentinelSettings sentinel = settings.sentinel();
        if (sentinel == null) {
            return RedisURI.create(settings.redis());
        }
        RedisURI.Builder builder = null;
        for (SentinelSettings.Node n : sentinel.addresses()) {
            if (builder == null) {
                builder = sentinel.password() == null ? RedisURI.Builder.sentinel(n.host(), n.port(), sentinel.master())
                        : RedisURI.Builder.sentinel(n.host(), n.port(), sentinel.master(), sentinel.password().reveal());
            } else if (sentinel.password() == null) {
                builder.withSentinel(n.host(), n.port());
            } else {
                builder.withSentinel(n.host(), n.port(), sentinel.password().reveal());
            }
        }
        return builder.build();
    }

    /**
     * Opens both connections within {@code cluster.connect-timeout} in all (docs/operations.md), blocking the caller
     * (the bridge's start) up to that long. Lettuce bounds a connection's TCP connect by the socket options' connect
     * timeout but its handshake by the URI's timeout, which is the command timeout for every later command: a Redis
     * that accepts the connection and answers late (a loaded machine) failed the start after {@code command-timeout}.
     * Here the handshake's bound is the connect timeout too (for later reconnects as well), the wait for both
     * connections is bounded by what is left of it, and an attempt that fails early (refused, reset) is made again after
     * a short pause, up to {@link ConnectAttempts#MAX} attempts, each logged.
     *
     * @throws io.lettuce.core.RedisException when Redis cannot be reached within the connect timeout, or refuses the
     *                                        credentials; its message names the address, the timeout and the attempts
     */
    void connect() {
        ConnectAttempts attempts = new ConnectAttempts(settings.address(), settings.connectTimeout());
        // Lettuce keeps a connection's handshake timeout for its reconnects too: the connect timeout, as for the first
        RedisURI uri = connectUri(settings, settings.connectTimeout());
        while (true) {
            attempts.next();
            try {
                commands = within(client.connectAsync(StringCodec.UTF8, uri), attempts);
                pubsub = within(client.connectPubSubAsync(StringCodec.UTF8, uri), attempts);
                break;
            } catch (RedisException e) {
                closeQuietly();
                attempts.failed(e); // throws once the attempts or the time are spent
            }
        }
        commands.setTimeout(settings.commandTimeout()); // the handshake had the connect budget; commands have theirs
        pubsub.setTimeout(settings.commandTimeout());
        upSinceNanos = System.nanoTime();
        up = true;
        log.info("cluster: connected to {} as instance {}: local and SIP-routed channels are shared with the other instances",
                settings.address(), instance);
        events.leg(new LegState("cluster", LegState.Status.READY, "connected to " + settings.address()));
    }

    /**
     * Waits for a connection at most what is left of the connect budget: the TCP connect's own bound (the socket
     * options' connect timeout) may outlast it. A connection that comes later is closed.
     */
    private static <C extends io.lettuce.core.api.StatefulConnection<?, ?>> C within(ConnectionFuture<C> future, ConnectAttempts attempts) {
        try {
            return future.toCompletableFuture().get(Math.max(1, attempts.left().toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.thenAccept(late -> late.closeAsync());
            throw new RedisConnectionException("not connected yet when the connect timeout ended", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RedisException r ? r : new RedisConnectionException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(late -> late.closeAsync());
            throw new RedisConnectionException("interrupted while connecting", e);
        }
    }

    /** Closes what a failed attempt opened, so that the next one starts clean. */
    private void closeQuietly() {
        StatefulRedisConnection<String, String> c = commands;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        commands = null;
        pubsub = null;
        if (c != null) {
            c.closeAsync();
        }
        if (p != null) {
            p.closeAsync();
        }
    }

    RedisCommands<String, String> sync() {
        return commands.sync();
    }

    RedisAsyncCommands<String, String> async() {
        return commands.async();
    }

    StatefulRedisPubSubConnection<String, String> pubsub() {
        return pubsub;
    }

    /** How many times the command connection was lost so far; a change means Redis may be a restarted one. */
    int losses() {
        return losses.get();
    }

    /** When the command connection last came up: at start, or its last reconnect ({@link System#nanoTime()}). */
    long upSinceNanos() {
        return upSinceNanos;
    }

    /** Whether the command connection is up as far as Lettuce knows. */
    boolean isUp() {
        return up;
    }

    RedisClusterSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (pubsub != null) {
                pubsub.close();
            }
            if (commands != null) {
                commands.close();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** The command timeout for every command but {@code EVAL} (see the client options). */
    private static final class ScriptsWait extends TimeoutOptions.TimeoutSource {

        private final long millis;

        ScriptsWait(Duration commandTimeout) {
            this.millis = commandTimeout.toMillis();
        }

        @Override
        public long getTimeout(io.lettuce.core.protocol.RedisCommand<?, ?, ?> command) {
            return command.getType() == CommandType.EVAL ? 0 : millis;
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.MILLISECONDS;
        }
    }

    /** Runs on Lettuce's event loops: logs, records, hands over. */
    private final class StateListener implements RedisConnectionStateListener {

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (closed) {
                return;
            }
            if (connection == commands && !up) {
                upSinceNanos = System.nanoTime();
                up = true;
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAtNanos);
                log.info("cluster: reconnected to {} after {} ms: sending what waited and filling gaps from the channel logs",
                        settings.address(), ms);
                events.leg(new LegState("cluster", LegState.Status.READY, "reconnected to " + settings.address()));
                events.commandsBack();
            } else if (connection == pubsub && pubsub != null) {
                events.subscriptionsBack();
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == commands) {
                losses.incrementAndGet();
            }
            if (closed || connection != commands || !up) {
                return;
            }
            up = false;
            lostAtNanos = System.nanoTime();
            log.warn("cluster: lost {}: local delivery goes on; envelopes for other instances wait up to {} ms ({} at most), "
                            + "then their senders get upstream_unavailable; reconnecting", settings.address(),
                    settings.outboundMaxAge().toMillis(), settings.outboundCapacity());
            events.leg(new LegState("cluster", LegState.Status.DOWN, "lost " + settings.address() + "; reconnecting"));
        }
    }
}
