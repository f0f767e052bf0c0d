package org.sigbridge.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One load run, validated on construction.
 *
 * @param label              free text carried into the results (server name, scenario point)
 * @param url                base WebSocket URL, e.g. {@code ws://127.0.0.1:8888/ws/channels}; loopback only
 * @param alternates         further base URLs (other bridge instances): the members of each channel are
 *                           spread over {@code url} and these, so a pair talks from one bridge to another
 * @param dialect            channels or envelope
 * @param clients            WebSocket connections, one client each
 * @param perChannel         clients per channel (fan-out is {@code perChannel - 1}); must divide {@code clients}
 * @param ratePerClient      messages per second per client (open loop); 0 selects the closed loop
 * @param window             closed loop: messages each client keeps in flight (a message is done when every
 *                           other member of its channel got it)
 * @param payloadBytes       approximate size of each publish frame
 * @param warmup             traffic before measuring (not counted)
 * @param duration           measured time; 0 with {@code idle} holds the connections without traffic
 * @param drain              longest wait for in-flight messages after sending stops
 * @param threads            Jetty client worker threads (and open-loop pacer threads, at most 4)
 * @param connectConcurrency connection attempts in flight at once
 * @param idle               connect and subscribe only; send nothing
 */
public record LoadSpec(String label, URI url, List<URI> alternates, WireDialect dialect, int clients, int perChannel, double ratePerClient,
                       int window, int payloadBytes, Duration warmup, Duration duration, Duration drain, int threads,
                       int connectConcurrency, boolean idle) {

    /**
     * The most clients of one run: one generator process holds a descriptor for each (its open-file limit must allow
     * them; scripts/bench raises the soft limit to the hard one), spread over loopback source addresses when one
     * address's ephemeral ports are too few ({@link SourceAddresses}).
     */
    public static final int MAX_CLIENTS = 100_000;

    public LoadSpec {
        alternates = List.copyOf(alternates);
        String host = url.getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"[::1]".equals(host)) {
            throw new IllegalArgumentException("the generator only targets loopback, not " + host);
        }
        if (!"ws".equals(url.getScheme()) && !"xmpp".equals(url.getScheme())) {
            throw new IllegalArgumentException("url must be ws://127.0.0.1:PORT/..., not " + url);
        }
        require(clients >= 1 && clients <= MAX_CLIENTS, "clients must be 1.." + MAX_CLIENTS + ": " + clients);
        require(perChannel >= 1 && clients % perChannel == 0,
                "clients-per-channel must divide clients (" + clients + "): " + perChannel);
        require(idle || perChannel >= 2, "clients-per-channel must be >= 2 when sending");
        require(dialect != WireDialect.PEERJS || perChannel == 2, "the peerjs dialect runs pairs (clients-per-channel 2)");
        require(ratePerClient >= 0, "rate must be >= 0 (0 = closed loop)");
        require(window >= 1 && window <= 10_000, "window must be 1..10000: " + window);
        require(payloadBytes >= 64 && payloadBytes <= 60_000, "payload must be 64..60000 bytes: " + payloadBytes);
        require(!warmup.isNegative() && !duration.isNegative() && !drain.isNegative(), "durations must be >= 0");
        require(threads >= 1 && threads <= 256, "threads must be 1..256: " + threads);
        require(connectConcurrency >= 1, "connect-concurrency must be >= 1");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public boolean closedLoop() {
        return ratePerClient == 0;
    }

    public int fanout() {
        return perChannel - 1;
    }

    public int channels() {
        return clients / perChannel;
    }

    /** Offered load in messages per second (open loop), 0 for the closed loop. */
    public double offeredPerSecond() {
        return ratePerClient * clients;
    }

    /** The base URL of the client at {@code index}: members of a channel take the URLs in turn. */
    public URI urlFor(int index) {
        if (alternates.isEmpty()) {
            return url;
        }
        int position = index % perChannel % (alternates.size() + 1);
        return position == 0 ? url : alternates.get(position - 1);
    }

    public LoadSpec withLabel(String newLabel) {
        return new LoadSpec(newLabel, url, alternates, dialect, clients, perChannel, ratePerClient, window, payloadBytes, warmup,
                duration, drain, threads, connectConcurrency, idle);
    }

    public LoadSpec withUrl(URI newUrl) {
        return withUrls(List.of(newUrl));
    }

    /** The first URL is the primary; channel members are spread over all of them. */
    public LoadSpec withUrls(List<URI> urls) {
        return new LoadSpec(label, urls.get(0), urls.subList(1, urls.size()), dialect, clients, perChannel, ratePerClient, window, payloadBytes, warmup,
                duration, drain, threads, connectConcurrency, idle);
    }
}
