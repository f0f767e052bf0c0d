package org.sigbridge.web.loop;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The plain-HTTP web port with {@code loops} event-loop threads (Jetty selectors): WebSocket reads run on them and
 * their writes go out once per loop turn (see the package description). Bind address, port and timeouts are set as
 * on any {@link ServerConnector}. Its sockets' idle timeouts run on an {@link IdleTimeoutWheel} over the server's
 * scheduler (started and stopped with the connector), not as a task each in that scheduler.
 */
public final class EventLoopConnector extends ServerConnector {

    private final IdleTimeoutWheel idleTimeouts;

    /**
     * @param loops selector threads; sockets are spread over them round-robin. One loop is one core's worth of
     *              relaying; more than the machine's cores only adds switching.
     */
    public EventLoopConnector(Server server, int loops) {
        super(server, 1, requirePositive(loops));
        this.idleTimeouts = new IdleTimeoutWheel(getScheduler());
        addBean(idleTimeouts); // after the scheduler (added by the super constructor): starts after it, stops before it
    }

    /** The timer of this connector's sockets' idle timeouts. */
    IdleTimeoutWheel idleTimeouts() {
        return idleTimeouts;
    }

    private static int requirePositive(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("event loops must be at least 1, not " + loops);
        }
        return loops;
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new ServerConnectorManager(executor, scheduler, selectors) {
            @Override
            protected ManagedSelector newSelector(int id) {
                return new LoopSelector(this, id);
            }
        };
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        LoopEndPoint endPoint = new LoopEndPoint(channel, (LoopSelector) selector, key, idleTimeouts);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }
}
