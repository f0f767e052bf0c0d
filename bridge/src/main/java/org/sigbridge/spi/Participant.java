package org.sigbridge.spi;

import java.util.Objects;

/**
 * Someone on a channel: a local endpoint, a MUC occupant or a SIP member.
 *
 * @param adapter the adapter instance they are reached through
 * @param id      unique within that adapter (endpoint id, occupant JID, SIP URI)
 * @param name    what to show (a nick, a display name, the sender); may equal {@code id}
 */
public record Participant(String adapter, String id, String name) {

    public Participant {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
