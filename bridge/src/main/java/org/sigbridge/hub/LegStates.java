package org.sigbridge.hub;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.sigbridge.spi.LegState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last state each back end reported; logs and notifies on change. Thread-safe. */
final class LegStates {

    private static final Logger log = LoggerFactory.getLogger(LegStates.class);

    private final ConcurrentHashMap<String, LegState> legs = new ConcurrentHashMap<>();
    private final List<Consumer<LegState>> listeners = new CopyOnWriteArrayList<>();

    void report(LegState state) {
        LegState previous = legs.put(state.adapter(), state);
        if (previous != null && previous.status() == state.status() && previous.detail().equals(state.detail())) {
            return;
        }
        String status = state.status().name().toLowerCase(Locale.ROOT);
        if (state.status() == LegState.Status.DOWN) {
            log.warn("{}: {} ({})", state.adapter(), status, state.detail());
        } else {
            log.info("{}: {} ({})", state.adapter(), status, state.detail());
        }
        listeners.forEach(l -> l.accept(state));
    }

    Map<String, LegState> snapshot() {
        return Map.copyOf(legs);
    }

    /** The last state of {@code adapter}, or STARTING "no state reported yet". */
    LegState current(String adapter) {
        LegState s = legs.get(adapter);
        return s != null ? s : new LegState(adapter, LegState.Status.STARTING, "no state reported yet");
    }

    boolean isReady(String adapter) {
        LegState s = legs.get(adapter);
        return s != null && s.status() == LegState.Status.READY;
    }

    void onChange(Consumer<LegState> listener) {
        listeners.add(listener);
    }
}
