package org.sigbridge.xmpp.session;

import java.util.Objects;
import java.util.function.Consumer;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Stanza;

/**
 * Hands matching incoming stanzas straight from Smack's reader thread to {@code sink} (which must only
 * enqueue, e.g. onto the adapter's worker), without one of Smack's listener threads in between.
 *
 * <p>Why: Smack 4.4 runs every kind of stanza listener on another thread than the one that parsed the
 * stanza: "sync" listeners through {@code AsyncButOrdered} on its cached executor, the others through
 * {@code asyncGoLimited}. Our listener only enqueued onto the worker, so each stanza woke two threads
 * (reader → Smack executor → worker); on a busy core every wake-up waits for the scheduler. A listener's
 * <em>filter</em>, however, is evaluated on the reader thread, in stream order, once per stanza
 * ({@code AbstractXMPPConnection.invokeStanzaCollectorsAndNotifyRecvListeners}). So the hand-off happens in
 * the filter, which then answers {@code false}, and Smack has nothing to run for it.
 */
public final class ReaderHandOff implements StanzaFilter {

    private final StanzaFilter filter;
    private final Consumer<Stanza> sink;

    private ReaderHandOff(StanzaFilter filter, Consumer<Stanza> sink) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Registers on {@code connection}: every stanza accepted by {@code filter} goes to {@code sink}, in stream order. */
    public static void register(XMPPConnection connection, StanzaFilter filter, Consumer<Stanza> sink) {
        // A listener object of its own per registration (Smack keys its listeners by the listener object; a
        // non-capturing lambda would be one shared instance, and the second registration would replace the first).
        ReaderHandOff handOff = new ReaderHandOff(filter, sink);
        connection.addSyncStanzaListener(handOff.new NeverCalled(), handOff);
    }

    /** The listener Smack requires beside the filter; the filter never lets a stanza through to it. */
    private final class NeverCalled implements StanzaListener {
        @Override
        public void processStanza(Stanza stanza) {
            // unreachable: accept() answers false
        }
    }

    @Override
    public boolean accept(Stanza stanza) {
        if (filter.accept(stanza)) {
            sink.accept(stanza);
        }
        return false;
    }

    @Override
    public String toString() {
        return "ReaderHandOff(" + filter + ")";
    }
}
