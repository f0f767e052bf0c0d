package org.sigbridge.xmpp.config;

import java.time.Duration;
import java.util.Objects;
import org.sigbridge.config.Secret;
import org.sigbridge.spi.AdapterSettings;

/**
 * The {@code type: xmpp} adapter section. Absent keys take the defaults below; the constructor refuses
 * inconsistent values with a message naming the fix (the config loader adds file, line and key).
 * Every key, with an example, is in {@code conf/reference/xmpp.md}.
 *
 * @param host                 server address to connect to (IP literal or name); absent: DNS SRV lookup of
 *                             {@code domain} (RFC 6120 §3.2). A configured host means no SRV lookup ever
 * @param port                 c2s port; default 5222
 * @param domain               the XMPP domain of {@code username} (required)
 * @param username             account localpart; required unless {@code anonymous}
 * @param password             account password; required unless {@code anonymous}
 * @param anonymous            log the bridge in with SASL ANONYMOUS on {@code anonymous-domain}; default false
 * @param anonymousDomain      the host allowing SASL ANONYMOUS; default {@code domain}
 * @param resource             resource of the bridge's session; default {@code sigbridge-} plus random letters
 * @param tls                  {@code required} (default), {@code optional} or {@code disabled}
 * @param trustCertificates    PEM file of certificates to trust for STARTTLS (self-signed or private CA)
 * @param trustStore           key store file (PKCS12 or JKS) of certificates to trust
 * @param trustStorePassword   its password, if it has one
 * @param trustStoreType       its type; default {@code PKCS12}
 * @param mucService           MUC service for routes without a target, e.g. {@code conference.example.org}
 * @param occupants            {@code shared} (default) or {@code per-user}
 * @param perUserLogin         {@code account} (default when a username is set, else {@code anonymous}): how per-user
 *                             sessions log in
 * @param maxUserSessions      at most this many per-user sessions at once; more senders share the bridge occupant
 * @param nick                 the bridge's occupant nick; default the bridge name
 * @param connectTimeout       TCP connect + stream set-up bound; default 10s
 * @param requestTimeout       IQ reply bound (ping, disco, leave); default 5s
 * @param joinTimeout          MUC join reply bound; default 10s
 * @param pendingQueueSize     envelopes held per room while it is not joined; default 256
 * @param pendingMaxAge        how long one may wait before it is reported {@code expired}; default 30s
 * @param reconnectBackoffBase first reconnect delay (then doubling, full jitter); default 1s
 * @param reconnectBackoffCap  longest reconnect delay; default 60s
 * @param selfPingInterval     XEP-0410 self-ping period per joined room; {@code 0s} disables; default 60s
 * @param roomGrace            how long a room stays joined after its channel closes; default 30s
 * @param noStore              add the XEP-0334 {@code <no-store/>} hint; default true
 * @param body                 {@code json} (default) or {@code omit}; a route's {@code body} option overrides it
 * @param maxStanzaBytes       the server's stanza limit (Prosody {@code c2s_stanza_size_limit}); default 262144
 */
public record XmppSettings(String host, Integer port, String domain, String username, Secret password, Boolean anonymous,
                           String anonymousDomain, String resource, TlsMode tls, String trustCertificates, String trustStore,
                           Secret trustStorePassword, String trustStoreType, String mucService, OccupantMode occupants,
                           UserLogin perUserLogin, Integer maxUserSessions, String nick, Duration connectTimeout,
                           Duration requestTimeout, Duration joinTimeout, Integer pendingQueueSize, Duration pendingMaxAge,
                           Duration reconnectBackoffBase, Duration reconnectBackoffCap, Duration selfPingInterval,
                           Duration roomGrace, Boolean noStore, BodyMode body, Integer maxStanzaBytes)
        implements AdapterSettings {

    /** Bytes kept free below {@code max-stanza-bytes} for what the client library adds when it writes. */
    public static final int STANZA_MARGIN_BYTES = 512;

    public XmppSettings {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain is required: the XMPP domain of the account, e.g. domain: example.org");
        }
        host = blankToNull(host);
        port = port == null ? 5222 : port;
        anonymous = anonymous != null && anonymous;
        anonymousDomain = anonymousDomain == null ? domain : anonymousDomain;
        username = blankToNull(username);
        if (!anonymous && (username == null || password == null)) {
            throw new IllegalArgumentException("username and password are required unless anonymous: true;"
                    + " set them, usually from the environment: ${XMPP_USERNAME} / ${XMPP_PASSWORD}");
        }
        if (username != null && (username.contains("@") || username.contains("/"))) {
            throw new IllegalArgumentException("username '" + username + "' must be the localpart only (alice, not alice@"
                    + domain + "); the domain goes in domain:");
        }
        resource = blankToNull(resource);
        tls = tls == null ? TlsMode.REQUIRED : tls;
        trustCertificates = blankToNull(trustCertificates);
        trustStore = blankToNull(trustStore);
        trustStoreType = trustStoreType == null ? "PKCS12" : trustStoreType;
        if (trustStorePassword != null && trustStore == null) {
            throw new IllegalArgumentException("trust-store-password is set but trust-store is not; add trust-store: path/to/store.p12");
        }
        mucService = blankToNull(mucService);
        if (mucService != null && (mucService.contains("@") || mucService.contains("/") || mucService.contains("{"))) {
            throw new IllegalArgumentException("muc-service '" + mucService + "' must be a bare domain such as conference." + domain);
        }
        occupants = occupants == null ? OccupantMode.SHARED : occupants;
        perUserLogin = perUserLogin == null ? (username != null ? UserLogin.ACCOUNT : UserLogin.ANONYMOUS) : perUserLogin;
        if (perUserLogin == UserLogin.ACCOUNT && username == null && occupants == OccupantMode.PER_USER) {
            throw new IllegalArgumentException("per-user-login: account needs username and password");
        }
        maxUserSessions = maxUserSessions == null ? 100 : maxUserSessions;
        range("max-user-sessions", maxUserSessions, 0, 10_000);
        nick = blankToNull(nick);
        if (nick != null && nick.length() > 64) {
            throw new IllegalArgumentException("nick must be at most 64 characters");
        }
        range("port", port, 1, 65_535);
        connectTimeout = positive("connect-timeout", connectTimeout, Duration.ofSeconds(10));
        requestTimeout = positive("request-timeout", requestTimeout, Duration.ofSeconds(5));
        joinTimeout = positive("join-timeout", joinTimeout, Duration.ofSeconds(10));
        pendingQueueSize = pendingQueueSize == null ? 256 : pendingQueueSize;
        range("pending-queue-size", pendingQueueSize, 1, 100_000);
        pendingMaxAge = positive("pending-max-age", pendingMaxAge, Duration.ofSeconds(30));
        reconnectBackoffBase = positive("reconnect-backoff-base", reconnectBackoffBase, Duration.ofSeconds(1));
        reconnectBackoffCap = positive("reconnect-backoff-cap", reconnectBackoffCap, Duration.ofSeconds(60));
        if (reconnectBackoffCap.compareTo(reconnectBackoffBase) < 0) {
            throw new IllegalArgumentException("reconnect-backoff-cap (" + reconnectBackoffCap + ") must not be below reconnect-backoff-base ("
                    + reconnectBackoffBase + ")");
        }
        selfPingInterval = selfPingInterval == null ? Duration.ofSeconds(60) : selfPingInterval;
        if (selfPingInterval.isNegative() || (!selfPingInterval.isZero() && selfPingInterval.compareTo(Duration.ofMillis(100)) < 0)) {
            throw new IllegalArgumentException("self-ping-interval must be 0s (off) or at least 100ms");
        }
        roomGrace = roomGrace == null ? Duration.ofSeconds(30) : roomGrace;
        if (roomGrace.isNegative() || roomGrace.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("room-grace must be between 0s and 1h");
        }
        noStore = noStore == null || noStore;
        body = body == null ? BodyMode.JSON : body;
        maxStanzaBytes = maxStanzaBytes == null ? 256 * 1024 : maxStanzaBytes;
        range("max-stanza-bytes", maxStanzaBytes, 4096, 64 * 1024 * 1024);
    }

    /** Minimal settings for code and tests: a password account, everything else defaulted. */
    public static XmppSettings of(String host, int port, String domain, String username, Secret password) {
        return new XmppSettings(host, port, domain, username, password, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The largest serialised stanza the adapter sends: {@code max-stanza-bytes} less a safety margin. */
    public int stanzaBudgetBytes() {
        return maxStanzaBytes - STANZA_MARGIN_BYTES;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static Duration positive(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be above 0s, e.g. " + fallback.toSeconds() + "s");
        }
        return Objects.requireNonNull(d);
    }
}
