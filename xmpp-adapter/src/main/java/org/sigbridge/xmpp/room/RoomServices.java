package org.sigbridge.xmpp.room;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.xmpp.config.XmppSettings;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;
import org.sigbridge.xmpp.session.ClientSession;

/**
 * What every room binding of one adapter shares. Built once in {@code start()}.
 *
 * @param adapter     the adapter instance name
 * @param context     the hub
 * @param settings    the adapter settings
 * @param mapper      envelope ⇄ stanza
 * @param stats       counters
 * @param worker      the single thread that owns all room state
 * @param requests    threads for blocking Smack calls (join, leave, ping, disco, connect)
 * @param sent        recently sent envelope ids
 * @param userSession opens a per-user session for a sender label (in {@code per-user} mode), reporting to the listener
 * @param userSessions counts per-user sessions against {@code max-user-sessions}
 * @param roomStateChanged called on the worker when a room joins or drops, to recompute the leg state
 */
public record RoomServices(String adapter, AdapterContext context, XmppSettings settings, XmppEnvelopeMapper mapper,
                           XmppStats stats, ScheduledExecutorService worker, ExecutorService requests, SentEnvelopes sent,
                           Function<ClientSession.Listener, ClientSession> userSession,
                           java.util.concurrent.atomic.AtomicInteger userSessions, Runnable roomStateChanged) {

    /** Runs on the worker; silently dropped once the adapter is closing (nothing is left to update). */
    void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: state no longer matters
        }
    }

    /** Runs a blocking Smack call on a request thread; returns false when the adapter is closing. */
    boolean onRequests(Runnable task) {
        try {
            requests.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
