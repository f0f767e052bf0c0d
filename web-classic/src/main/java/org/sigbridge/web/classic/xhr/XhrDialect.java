package org.sigbridge.web.classic.xhr;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.web.XhrSettings;
import org.sigbridge.web.limit.KeyedRateLimits;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.DrainParticipant;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;

/**
 * XHR-Signaling (docs/dialects.md §4) as a web dialect: {@code /Home/PostData}, {@code /Home/GetData} and
 * {@code /Home/LongPoll} over one shared {@link XhrMailbox}. Mounts nothing when {@code xhr.enabled} is false.
 * Stateless; the mailbox lives as long as the adapter.
 */
public final class XhrDialect implements WebDialect {

    /** The paths, each an exact path spec. */
    static final String POST_DATA = "/Home/PostData";
    static final String GET_DATA = "/Home/GetData";
    static final String LONG_POLL = "/Home/LongPoll";

    /** A live page holds a long poll or polls again within seconds; one silent for 5 s has left (for a drain). */
    private static final Duration ACTIVE_POLLER = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "xhr";
    }

    @Override
    public DialectMounts mount(WebHost host) {
        XhrSettings xhr = host.settings().xhr();
        if (!xhr.enabled()) {
            return DialectMounts.NONE;
        }
        XhrMailbox mailbox = new XhrMailbox(host.adapter(), host.hub(), xhr, host.stats(), host.timer());
        // With a cluster, sessions live in its store and any instance serves them (docs/cluster.md §2).
        SharedXhrMailbox shared = host.hub().sharedSessions()
                .map(store -> new SharedXhrMailbox(host.adapter(), host.hub(), store, xhr, host.stats(), host.timer()))
                .orElse(null);
        XhrHandler handler = new XhrHandler(mailbox, host.hub(), host.adapter(), host.stats(), host.origins(),
                host.settings().maxFrameBytes(), host.identity().verified()
                        ? "identity.mode is verified and XHR polling cannot carry a verified sender; use a WebSocket with ?token="
                        : null,
                host.drain(), new KeyedRateLimits(host.settings().rateLimit().messagesPerSecond(), host.settings().rateLimit().burst(),
                        xhr.maxClients(), System::nanoTime), shared);
        Handler http = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return handler.handle(Request.getPathInContext(request), request, response, callback);
            }
        };
        host.timer().scheduleAtFixedRate(shared != null ? shared::sweep : mailbox::sweep, 1, 1, TimeUnit.SECONDS);
        return DialectMounts.builder()
                .http(new HttpMount(PathSpec.from(POST_DATA), http))
                .http(new HttpMount(PathSpec.from(GET_DATA), http))
                .http(new HttpMount(PathSpec.from(LONG_POLL), http))
                .heldRequest(xhr.longPollMaxWait())
                .drain(new DrainParticipant() {
                    @Override
                    public int activeClients() {
                        return shared != null ? shared.activePollers(ACTIVE_POLLER) : mailbox.activePollers(ACTIVE_POLLER);
                    }

                    @Override
                    public void deadlinePassed() {
                        if (shared != null) {
                            shared.releaseWaiters();
                        }
                        mailbox.releaseWaiters();
                    }
                })
                .onClose(() -> {
                    if (shared != null) {
                        shared.close();
                    }
                    mailbox.close();
                })
                .build();
    }
}
