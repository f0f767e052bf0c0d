package org.sigbridge.web.socketio.signalmaster;

import java.util.Set;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * The family of an Engine.IO 3 connection that is not RTCMultiConnection's (docs/socketio.md, "Which family"):
 * SimpleWebRTC pages name nothing in their handshake, so a root-namespace socket without a {@code channel} query is
 * greeted as signal-master greets ({@code stunservers}, {@code turnservers}) and starts as a {@code message} relay
 * member (hearing its namespace, as a relay page that listens before it sends needs); its first signal-master event —
 * {@code join}, {@code create}, {@code leave}, {@code shareScreen}, {@code unshareScreen}, {@code trace} — makes it a
 * signalmaster client for good, and any other first event a relay member for good. Sockets with a {@code channel}
 * query, or on another namespace, are relay members from the start. One instance per connection (it knows the page's
 * {@code Origin}); immutable.
 *
 * @param relay        the message relay
 * @param signalmaster the signalmaster family
 * @param origin       the page's {@code Origin} header (for {@code turn-origins}), or {@code null}
 */
public record RelayOrSignalmaster(SocketFamily relay, SignalmasterFamily signalmaster, String origin) implements SocketFamily {

    /** The events only signal-master pages emit. */
    static final Set<String> SIGNALMASTER_EVENTS = Set.of("join", "create", "leave", "shareScreen", "unshareScreen", "trace");

    @Override
    public String name() {
        return "relay-or-signalmaster";
    }

    /**
     * Verified identity: a socket that is a relay socket from the start follows the relay's rule (its channel must be in
     * the token's scope); an undecided root socket is admitted (a signalmaster client's rooms are checked as it joins
     * them, an undecided socket does not hear a namespace outside the token).
     */
    @Override
    public java.util.Optional<String> refusal(SioSocket socket) {
        String channel = socket.query().getValue("channel");
        boolean undecided = socket.namespace().equals("/") && (channel == null || channel.isEmpty());
        return undecided ? java.util.Optional.empty() : relay.refusal(socket);
    }

    /** As {@link #connect(SioSocket)}, the relay member joined before the CONNECT answer, the greeting after it. */
    @Override
    public Member connect(SioSocket socket, Runnable answer) {
        String channel = socket.query().getValue("channel");
        if (!socket.namespace().equals("/") || (channel != null && !channel.isEmpty())) {
            return relay.connect(socket, answer);
        }
        Member relayMember = relay.connect(socket, answer);
        signalmaster.greet(socket, origin);
        return new Undecided(socket, relayMember);
    }

    @Override
    public Member connect(SioSocket socket) {
        String channel = socket.query().getValue("channel");
        if (!socket.namespace().equals("/") || (channel != null && !channel.isEmpty())) {
            return relay.connect(socket);
        }
        signalmaster.greet(socket, origin);
        return new Undecided(socket, relay.connect(socket));
    }

    /** A socket whose first event has not come yet. Calls come one at a time from the session's reader. */
    private final class Undecided implements Member {
        private final SioSocket socket;
        private Member current;
        private boolean decided;

        Undecided(SioSocket socket, Member relayMember) {
            this.socket = socket;
            this.current = relayMember;
        }

        @Override
        public void onEvent(SioPacket event) {
            if (!decided) {
                decided = true;
                if (SIGNALMASTER_EVENTS.contains(event.eventName())) {
                    current.onDisconnect(); // leaves the namespace channel
                    current = signalmaster.client(socket);
                }
            }
            current.onEvent(event);
        }

        @Override
        public void onDisconnect() {
            current.onDisconnect();
        }
    }
}
