package org.sigbridge.cluster;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.config.Check;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;

/**
 * The optional {@code cluster.sentinel:} sub-section (conf/reference/cluster.md): the instances find the Redis master
 * through Redis Sentinel instead of a fixed address, and follow it when Sentinel fails over (docs/cluster.md §6).
 * Validated here; the config loader adds {@code file:line} to each refusal.
 *
 * @param master   the master name the Sentinels monitor ({@code sentinel monitor <name> …}); required
 * @param nodes    the Sentinels, {@code host:port} each, at least one; asked in this order
 * @param password the Sentinels' own password ({@code requirepass} in sentinel.conf), or absent; the master's
 *                 credentials are {@code cluster.user} and {@code cluster.password}
 */
public record SentinelSettings(String master, List<String> nodes,
                               @JsonDeserialize(using = OptionalSecret.class) Secret password) {

    public SentinelSettings {
        master = Check.blankToNull(master);
        if (master == null || !master.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("sentinel.master is required: the master name the Sentinels monitor "
                    + "(letters, digits, '_', '.', '-'), e.g. master: mymaster");
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("sentinel.nodes is required: a list of host:port, e.g. nodes: [\"10.0.0.1:26379\", \"10.0.0.2:26379\"]");
        }
        List<String> clean = new ArrayList<>();
        for (String n : nodes) {
            clean.add(node(n).host() + ":" + node(n).port());
        }
        nodes = List.copyOf(clean);
    }

    /** A Sentinel's address. */
    public record Node(String host, int port) {
    }

    /** The Sentinels' addresses, in order. */
    public List<Node> addresses() {
        return nodes.stream().map(SentinelSettings::node).toList();
    }

    /** The address for logs: {@code redis-sentinel://h1:p1,h2:p2 (master m)}, without credentials. */
    public String address() {
        return "redis-sentinel://" + String.join(",", nodes) + " (master " + master + ")";
    }

    private static Node node(String text) {
        String n = text == null ? "" : text.trim();
        int colon = n.lastIndexOf(':');
        if (colon <= 0 || colon == n.length() - 1 || n.contains("/") || n.contains("@")) {
            throw new IllegalArgumentException("sentinel.nodes: '" + n + "' is not host:port (no scheme, no credentials), e.g. 10.0.0.1:26379");
        }
        String host = n.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(n.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("sentinel.nodes: '" + n + "' needs a port 1-65535, e.g. 10.0.0.1:26379");
        }
        return new Node(host, port);
    }
}
