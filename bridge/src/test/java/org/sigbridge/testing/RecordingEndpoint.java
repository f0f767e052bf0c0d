package org.sigbridge.testing;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;

/**
 * A front-end endpoint that records what the hub hands it. It accepts up to {@code capacity} envelopes
 * and then answers {@link DeliveryResult.Rejected} with {@code slow consumer}, like a browser session
 * whose outbound queue is full. It presents the participant the test gives it, by default its id
 * ({@link Endpoint#participant()}). Thread-safe.
 */
public final class RecordingEndpoint implements Endpoint {

    private final String id;
    private final String adapter;
    private final int capacity;
    private final Participant participant;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Recorder<Envelope> envelopes;
    private final Recorder<PresenceEvent> presence;
    private final Recorder<DeliveryFailure> failures;

    /** An endpoint of adapter {@code web} that takes everything. */
    public RecordingEndpoint(String id) {
        this(id, "web", Integer.MAX_VALUE);
    }

    /** An endpoint of adapter {@code web} that takes everything and presents {@code participant} (e.g. a signed-in user). */
    public RecordingEndpoint(String id, Participant participant) {
        this(id, "web", Integer.MAX_VALUE, Objects.requireNonNull(participant, "participant"));
    }

    public RecordingEndpoint(String id, String adapter, int capacity) {
        this(id, adapter, capacity, null);
    }

    private RecordingEndpoint(String id, String adapter, int capacity, Participant participant) {
        this.id = Objects.requireNonNull(id, "id");
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.capacity = capacity;
        this.participant = participant;
        this.envelopes = new Recorder<>(id + " envelopes");
        this.presence = new Recorder<>(id + " presence events");
        this.failures = new Recorder<>(id + " delivery failures");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return adapter;
    }

    @Override
    public Participant participant() {
        return participant != null ? participant : Endpoint.super.participant();
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        if (accepted.incrementAndGet() > capacity) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "slow consumer: " + id + " is full");
        }
        envelopes.add(envelope);
        return DeliveryResult.DELIVERED;
    }

    @Override
    public void presenceChanged(PresenceEvent event) {
        presence.add(event);
    }

    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        failures.add(failure);
    }

    /** Envelopes delivered here, in delivery order. */
    public Recorder<Envelope> envelopes() {
        return envelopes;
    }

    public Recorder<PresenceEvent> presence() {
        return presence;
    }

    public Recorder<DeliveryFailure> failures() {
        return failures;
    }

    @Override
    public String toString() {
        return "RecordingEndpoint[" + id + "]";
    }
}
