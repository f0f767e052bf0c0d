package org.sigbridge.web;

import java.util.Locale;

/**
 * Why a WebSocket upgrade was refused before a socket opened: the {@code reason} label of
 * {@code sigbridge_web_upgrades_refused_total}. Never rename one; the label values are stable.
 */
public enum UpgradeRefusal {
    /** 403: the {@code Origin} is not in {@code allowed-origins} (RFC 6455 §10.2). */
    ORIGIN,
    /** 429 (or 1008 right after opening, when two handshakes raced): {@code max-connections-per-address}. */
    TOO_MANY_CONNECTIONS,
    /** 503: the adapter drains ({@code POST /admin/drain}) or the bridge stops. */
    DRAINING,
    /** 401: the {@code ?token=} of verified identity is expired, forged or malformed. */
    TOKEN;

    /** The label value, e.g. {@code too_many_connections}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
