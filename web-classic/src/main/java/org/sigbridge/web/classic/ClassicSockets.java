package org.sigbridge.web.classic;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.classic.frames.Mode;
import org.sigbridge.web.identity.IdentityGate;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebHost;

/**
 * The WebSocket mounts of the channels and envelope dialects. Each has its own path; the catch-all (Jetty's default
 * path spec {@code /}, so every more specific mount of any dialect wins) belongs to the classic family as a whole,
 * because the websocket-over-nodejs server accepts a socket on any path (docs/dialects.md §2.1): with both dialects enabled
 * it recognises the mode from the first frame ({@link Mode#UNDECIDED}, mounted by channels); with one of them, it
 * speaks that one. Stateless.
 */
final class ClassicSockets {

    static final String CHANNELS = "channels";
    static final String ENVELOPE = "envelope";
    /** The catch-all mount. */
    static final PathSpec ANY_PATH = PathSpec.from("/");

    private ClassicSockets() {
    }

    /**
     * Mounts one dialect's own path and, when this dialect owns it, the catch-all.
     *
     * @param ownsCatchAll whether this dialect mounts {@link #ANY_PATH}
     * @param catchAllMode the mode of sockets on the catch-all
     */
    static DialectMounts mount(WebHost host, String path, Mode mode, boolean ownsCatchAll, Mode catchAllMode) {
        // One store per mount: a seed page reconnects to the path it used; on a cluster every mount shares Redis.
        Checkpoints checkpoints = new Checkpoints(host.settings().checkpoints(), host.hub().clock(), host.hub()::sharedRecords,
                host.stats());
        DialectMounts.Builder mounts = DialectMounts.builder()
                .socket(new SocketMount(PathSpec.from(path), request -> admit(host, mode, request, checkpoints)))
                .label(mode.wire());
        if (ownsCatchAll) {
            mounts.socket(new SocketMount(ANY_PATH, request -> admit(host, catchAllMode, request, checkpoints))).label(catchAllMode.wire());
        }
        return mounts.build();
    }

    /**
     * An upgrade on a classic path: {@code ?channel=} joins at once; in verified mode a {@code ?token=} is checked now
     * (refused: 401 {@code not_permitted}) and a socket without one must send it as its first frame. Jetty thread.
     */
    private static Admission admit(WebHost host, Mode mode, Request request, Checkpoints checkpoints) {
        Fields query = Request.extractQueryParameters(request);
        String channel = query.getValue("channel");
        IdentityGate identity = host.identity();
        String token = identity.verified() ? query.getValue(identity.tokenParam()) : null;
        IdentityGate.Outcome outcome = identity.admit(token);
        if (outcome instanceof IdentityGate.Refused refused) {
            return new Admission.Refuse(HttpStatus.UNAUTHORIZED_401, UpgradeRefusal.TOKEN, ErrorCode.NOT_PERMITTED, refused.detail());
        }
        IdentityGate.Guarded guarded = (IdentityGate.Guarded) outcome;
        return new Admission.Accept(connection -> new ClassicSession(connection, host.adapter(), host.hub(), host.limits(),
                host.stats(), mode, guarded.guard(), channel, checkpoints));
    }
}
