package org.sigbridge.xmpp.mapping;

import java.util.Objects;
import org.jivesoftware.smack.packet.Message;
import org.sigbridge.spi.ErrorCode;

/** What {@link XmppEnvelopeMapper#toStanza} made of an envelope. */
public sealed interface Outbound {

    /** A groupchat stanza ready to send, and its serialised size in bytes or an upper bound of it (at most the budget). */
    record Stanza(Message message, int bytes) implements Outbound {
        public Stanza {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The envelope cannot be sent as a stanza; the hub reports {@code code} to its sender. */
    record Refused(ErrorCode code, String detail) implements Outbound {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
