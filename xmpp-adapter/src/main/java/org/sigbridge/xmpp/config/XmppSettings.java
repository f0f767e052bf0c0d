package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import org.sigbridge.config.Check;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;
import org.sigbridge.config.TrustSettings;
import org.sigbridge.spi.AdapterSettings;

/**
 * The {@code type: xmpp} adapter section. Absent keys take the defaults below; the constructor refuses
 * inconsistent values with a message naming the fix (the config loader adds file, line and key).
 * Every key, with an example, is in {@code conf/reference/xmpp.md}. The trust keys are spelled as in every
 * section and come together as {@link #trust()}. Code builds one with {@link #builder(String)}.
 *
 * @param host                 server address to connect to (IP literal or name); absent: DNS SRV lookup of
 *                             {@code domain} (RFC 6120 §3.2; {@code _xmpps-client._tcp} with {@code tls: direct},
 *                             XEP-0368). A configured host means no SRV lookup ever
 * @param port                 c2s port; default 5222, or 5223 with {@code tls: direct} (XEP-0368)
 * @param domain               the XMPP domain of {@code username} (required)
 * @param username             account localpart; required unless {@code anonymous}
 * @param password             account password; required unless {@code anonymous}; empty means not set
 * @param anonymous            log the bridge in with SASL ANONYMOUS on {@code anonymous-domain}; default false
 * @param anonymousDomain      the host allowing SASL ANONYMOUS; default {@code domain}
 * @param resource             resource of the bridge's session; default {@code sigbridge-} plus random letters
 * @param tls                  {@code required} (default), {@code optional} or {@code disabled} (STARTTLS), or
 *                             {@code direct} (TLS from the first byte, XEP-0368); see {@link TlsMode}
 * @param trustCertificates    PEM file of certificates to trust for STARTTLS (self-signed or private CA)
 * @param trustStore           key store file (PKCS12 or JKS) of certificates to trust
 * @param trustStorePassword   its password, if it has one; empty means not set
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
 * @param noStore              when to add the XEP-0334 {@code <no-store/>} hint: {@code always} (default; {@code true}
 *                             in earlier releases), {@code auto} (where the room archives: for rooms without
 *                             discussion history) or {@code never} ({@code false}); see {@link NoStoreMode}
 * @param body                 {@code json} (default), {@code omit} or {@code both} ({@link BodyMode}); a route's {@code body} option overrides it
 * @param maxStanzaBytes       the server's stanza limit (Prosody {@code c2s_stanza_size_limit}); default 262144
 * @param roomPassword         the password sent in every MUC join (XEP-0045 §7.2.6), for password-protected rooms;
 *                             empty means not set; never logged
 * @param inboundLimit         how fast rooms may send to the bridge session ({@code inbound-limit:}); defaults
 *                             {@link InboundLimitSettings#DEFAULTS}
 */
public record XmppSettings(String host, Integer port, String domain, String username,
                           @JsonDeserialize(using = OptionalSecret.class) Secret password, Boolean anonymous,
                           String anonymousDomain, String resource, TlsMode tls, String trustCertificates, String trustStore,
                           @JsonDeserialize(using = OptionalSecret.class) Secret trustStorePassword, String trustStoreType, String mucService, OccupantMode occupants,
                           UserLogin perUserLogin, Integer maxUserSessions, String nick, Duration connectTimeout,
                           Duration requestTimeout, Duration joinTimeout, Integer pendingQueueSize, Duration pendingMaxAge,
                           Duration reconnectBackoffBase, Duration reconnectBackoffCap, Duration selfPingInterval,
                           Duration roomGrace, NoStoreMode noStore, BodyMode body, Integer maxStanzaBytes,
                           @JsonDeserialize(using = OptionalSecret.class) Secret roomPassword,
                           InboundLimitSettings inboundLimit)
        implements AdapterSettings {

    /** Bytes kept free below {@code max-stanza-bytes} for what the client library adds when it writes. */
    public static final int STANZA_MARGIN_BYTES = 512;

    public XmppSettings {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain is required: the XMPP domain of the account, e.g. domain: example.org");
        }
        host = Check.blankToNull(host);
        tls = tls == null ? TlsMode.REQUIRED : tls;
        port = port == null ? (tls == TlsMode.DIRECT ? 5223 : 5222) : port;
        anonymous = anonymous != null && anonymous;
        anonymousDomain = anonymousDomain == null ? domain : anonymousDomain;
        username = Check.blankToNull(username);
        if (!anonymous && (username == null || password == null)) {
            throw new IllegalArgumentException("username and password are required unless anonymous: true;"
                    + " set them, usually from the environment: ${XMPP_USERNAME} / ${XMPP_PASSWORD}");
        }
        if (username != null && (username.contains("@") || username.contains("/"))) {
            throw new IllegalArgumentException("username '" + username + "' must be the localpart only (alice, not alice@"
                    + domain + "); the domain goes in domain:");
        }
        resource = Check.blankToNull(resource);
        TrustSettings trust = TrustSettings.of("", trustCertificates, trustStore, trustStorePassword, trustStoreType);
        trustCertificates = trust.certificates();
        trustStore = trust.store();
        trustStoreType = trust.storeType();
        mucService = Check.blankToNull(mucService);
        if (mucService != null && (mucService.contains("@") || mucService.contains("/") || mucService.contains("{"))) {
            throw new IllegalArgumentException("muc-service '" + mucService + "' must be a bare domain such as conference." + domain);
        }
        occupants = occupants == null ? OccupantMode.SHARED : occupants;
        perUserLogin = perUserLogin == null ? (username != null ? UserLogin.ACCOUNT : UserLogin.ANONYMOUS) : perUserLogin;
        if (perUserLogin == UserLogin.ACCOUNT && username == null && occupants == OccupantMode.PER_USER) {
            throw new IllegalArgumentException("per-user-login: account needs username and password");
        }
        maxUserSessions = Check.range("max-user-sessions", maxUserSessions, 100, 0, 10_000);
        nick = Check.blankToNull(nick);
        if (nick != null && nick.length() > 64) {
            throw new IllegalArgumentException("nick must be at most 64 characters");
        }
        Check.range("port", port, 1, 65_535);
        connectTimeout = Check.positive("connect-timeout", connectTimeout, Duration.ofSeconds(10));
        requestTimeout = Check.positive("request-timeout", requestTimeout, Duration.ofSeconds(5));
        joinTimeout = Check.positive("join-timeout", joinTimeout, Duration.ofSeconds(10));
        pendingQueueSize = Check.range("pending-queue-size", pendingQueueSize, 256, 1, 100_000);
        pendingMaxAge = Check.positive("pending-max-age", pendingMaxAge, Duration.ofSeconds(30));
        reconnectBackoffBase = Check.positive("reconnect-backoff-base", reconnectBackoffBase, Duration.ofSeconds(1));
        reconnectBackoffCap = Check.positive("reconnect-backoff-cap", reconnectBackoffCap, Duration.ofSeconds(60));
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
        noStore = noStore == null ? NoStoreMode.ALWAYS : noStore;
        body = body == null ? BodyMode.JSON : body;
        inboundLimit = inboundLimit == null ? InboundLimitSettings.DEFAULTS : inboundLimit;
        maxStanzaBytes = Check.range("max-stanza-bytes", maxStanzaBytes, 256 * 1024, 4096, 64 * 1024 * 1024);
        if (roomPassword != null && !roomPassword.reveal().chars().allMatch(XmppSettings::xmlChar)) {
            throw new IllegalArgumentException("room-password contains a control character that XML cannot carry"
                    + " (XML 1.0 §2.2); set the room's password as its owner typed it");
        }
    }

    /** XML 1.0 §2.2 {@code Char} for one UTF-16 unit (surrogates pass: a pair is a valid character). */
    private static boolean xmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
    }

    /** Settings for code (an embedding host, a test): every key absent, so at its default, until set. */
    public static Builder builder(String domain) {
        return new Builder(domain);
    }

    /** The certificates STARTTLS and direct TLS trust: {@code trust-certificates} and {@code trust-store}, or the JVM's defaults. */
    public TrustSettings trust() {
        return new TrustSettings(trustCertificates, trustStore, trustStorePassword, trustStoreType);
    }

    /** The largest serialised stanza the adapter sends: {@code max-stanza-bytes} less a safety margin. */
    public int stanzaBudgetBytes() {
        return maxStanzaBytes - STANZA_MARGIN_BYTES;
    }

    /**
     * Builds {@link XmppSettings} in code with the keys' own names; unset keys take the defaults above, and
     * {@link #build()} validates as loading a file does. Not thread-safe; one use.
     */
    public static final class Builder {
        private final String domain;
        private String host;
        private Integer port;
        private String username;
        private Secret password;
        private Boolean anonymous;
        private String anonymousDomain;
        private String resource;
        private TlsMode tls;
        private TrustSettings trust = TrustSettings.DEFAULT;
        private String mucService;
        private OccupantMode occupants;
        private UserLogin perUserLogin;
        private Integer maxUserSessions;
        private String nick;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private Duration joinTimeout;
        private Integer pendingQueueSize;
        private Duration pendingMaxAge;
        private Duration reconnectBackoffBase;
        private Duration reconnectBackoffCap;
        private Duration selfPingInterval;
        private Duration roomGrace;
        private NoStoreMode noStore;
        private BodyMode body;
        private Integer maxStanzaBytes;
        private Secret roomPassword;
        private InboundLimitSettings inboundLimit;

        private Builder(String domain) {
            this.domain = domain;
        }

        /** The server to connect to, instead of a DNS SRV lookup of the domain. */
        public Builder server(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** A password account. */
        public Builder account(String username, Secret password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** SASL ANONYMOUS on {@code anonymousDomain} ({@code null}: the domain). */
        public Builder anonymous(String anonymousDomain) {
            this.anonymous = true;
            this.anonymousDomain = anonymousDomain;
            return this;
        }

        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        public Builder tls(TlsMode tls, TrustSettings trust) {
            this.tls = tls;
            this.trust = trust;
            return this;
        }

        public Builder mucService(String mucService) {
            this.mucService = mucService;
            return this;
        }

        public Builder occupants(OccupantMode occupants, UserLogin perUserLogin, Integer maxUserSessions) {
            this.occupants = occupants;
            this.perUserLogin = perUserLogin;
            this.maxUserSessions = maxUserSessions;
            return this;
        }

        public Builder nick(String nick) {
            this.nick = nick;
            return this;
        }

        public Builder timeouts(Duration connectTimeout, Duration requestTimeout, Duration joinTimeout) {
            this.connectTimeout = connectTimeout;
            this.requestTimeout = requestTimeout;
            this.joinTimeout = joinTimeout;
            return this;
        }

        public Builder pending(Integer pendingQueueSize, Duration pendingMaxAge) {
            this.pendingQueueSize = pendingQueueSize;
            this.pendingMaxAge = pendingMaxAge;
            return this;
        }

        public Builder reconnectBackoff(Duration base, Duration cap) {
            this.reconnectBackoffBase = base;
            this.reconnectBackoffCap = cap;
            return this;
        }

        public Builder selfPingInterval(Duration selfPingInterval) {
            this.selfPingInterval = selfPingInterval;
            return this;
        }

        public Builder roomGrace(Duration roomGrace) {
            this.roomGrace = roomGrace;
            return this;
        }

        /** The {@code body} and {@code no-store} keys; {@code null}: their defaults. */
        public Builder body(BodyMode body, NoStoreMode noStore) {
            this.body = body;
            this.noStore = noStore;
            return this;
        }

        public Builder maxStanzaBytes(Integer maxStanzaBytes) {
            this.maxStanzaBytes = maxStanzaBytes;
            return this;
        }

        /** The password of password-protected rooms (XEP-0045 §7.2.6); {@code null}: none. */
        public Builder roomPassword(Secret roomPassword) {
            this.roomPassword = roomPassword;
            return this;
        }

        /** The {@code inbound-limit:} subsection; {@code null}: its defaults. */
        public Builder inboundLimit(InboundLimitSettings inboundLimit) {
            this.inboundLimit = inboundLimit;
            return this;
        }

        /** @throws IllegalArgumentException as loading the same keys from a file would */
        public XmppSettings build() {
            return new XmppSettings(host, port, domain, username, password, anonymous, anonymousDomain, resource, tls,
                    trust.certificates(), trust.store(), trust.storePassword(), trust.storeType(), mucService, occupants,
                    perUserLogin, maxUserSessions, nick, connectTimeout, requestTimeout, joinTimeout, pendingQueueSize,
                    pendingMaxAge, reconnectBackoffBase, reconnectBackoffCap, selfPingInterval, roomGrace, noStore, body,
                    maxStanzaBytes, roomPassword, inboundLimit);
        }
    }
}
