package org.sigbridge.web.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one dialect mounts on one web adapter; built with {@link #builder()}.
 *
 * @param sockets     WebSocket paths
 * @param http        plain HTTP paths
 * @param labels      the {@link WebConnection#dialect()} names its connections report, so that
 *                    {@code sigbridge_web_connections} shows them at 0 before the first connection
 * @param heldRequest the longest an HTTP request of this dialect is held open (a long poll); the connector's idle
 *                    timeout outlasts it. {@link Duration#ZERO} when none
 * @param drain       its clients outside the session registry, if any
 * @param onClose     run once when the adapter closes, before its connections are closed (on the bridge's thread)
 */
public record DialectMounts(List<SocketMount> sockets, List<HttpMount> http, Set<String> labels, Duration heldRequest,
                            Optional<DrainParticipant> drain, Runnable onClose) {

    /** A dialect that mounts nothing (its own settings turned it off). */
    public static final DialectMounts NONE = builder().build();

    public DialectMounts {
        sockets = List.copyOf(sockets);
        http = List.copyOf(http);
        labels = Set.copyOf(labels);
    }

    /** True when nothing is mounted. */
    public boolean isEmpty() {
        return sockets.isEmpty() && http.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects mounts; not thread-safe, used by one {@link WebDialect#mount} call. */
    public static final class Builder {
        private final List<SocketMount> sockets = new ArrayList<>();
        private final List<HttpMount> http = new ArrayList<>();
        private final Set<String> labels = new LinkedHashSet<>();
        private Duration heldRequest = Duration.ZERO;
        private DrainParticipant drain;
        private Runnable onClose = () -> { };

        private Builder() {
        }

        public Builder socket(SocketMount mount) {
            sockets.add(mount);
            return this;
        }

        public Builder http(HttpMount mount) {
            http.add(mount);
            return this;
        }

        public Builder label(String dialectName) {
            labels.add(dialectName);
            return this;
        }

        public Builder heldRequest(Duration longest) {
            heldRequest = longest;
            return this;
        }

        public Builder drain(DrainParticipant participant) {
            drain = participant;
            return this;
        }

        public Builder onClose(Runnable action) {
            onClose = action;
            return this;
        }

        public DialectMounts build() {
            return new DialectMounts(sockets, http, labels, heldRequest, Optional.ofNullable(drain), onClose);
        }
    }
}
