package org.sigbridge.hub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;

/**
 * A front-end endpoint for hub tests in this module (testkit's recording classes depend on bridge, so
 * bridge's own tests cannot use them): records what the hub hands it, and presents a participant id of its
 * choice. Thread-safe.
 */
final class TestEndpoint implements Endpoint {

    final String id;
    final Participant participant;
    final List<Envelope> received = new CopyOnWriteArrayList<>();
    final List<DeliveryFailure> failures = new CopyOnWriteArrayList<>();
    final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();

    /** An endpoint presenting the default participant (its id). */
    TestEndpoint(String id) {
        this(id, null);
    }

    /** An endpoint presenting {@code participant}, or the default when {@code null}. */
    TestEndpoint(String id, Participant participant) {
        this.id = id;
        this.participant = participant;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return "web";
    }

    @Override
    public Participant participant() {
        return participant != null ? participant : Endpoint.super.participant();
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        received.add(envelope);
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

    List<String> receivedIds() {
        return received.stream().map(Envelope::id).toList();
    }
}
