package org.sigbridge.web.spi;

/**
 * A dialect's clients that are not connections in the {@link org.sigbridge.web.session.SessionRegistry} (pollers
 * that come and go), as a drain ({@code POST /admin/drain}) sees them. Thread-safe; never blocks.
 */
public interface DrainParticipant {

    /** Clients still active now, reported as {@code pollers} in the drain status. */
    int activeClients();

    /** The drain deadline passed: answer what is held (long polls). Timer thread. */
    void deadlinePassed();
}
