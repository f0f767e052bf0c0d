package org.sigbridge.web.classic.xhr;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.limit.KeyedRateLimits;
import org.sigbridge.web.limit.OriginPolicy;
import org.sigbridge.web.spi.DrainState;
import org.sigbridge.support.EnvelopeMdc;

/**
 * The XHR endpoints on Jetty: {@code POST /Home/PostData} (form field {@code message} = the envelope as JSON
 * text) answers {@code true}; {@code POST /Home/GetData} answers the poller's next {@code {"ID","Message","Date"}}
 * or {@code false}; {@code POST|GET /Home/LongPoll} is {@code GetData} held until a message arrives (at most
 * {@code ?wait=ms}, capped by {@code xhr.long-poll-max-wait}). Pollers are told apart by the
 * {@value #COOKIE} cookie set on their first request (a same-origin XHR sends it back unchanged). While the adapter
 * drains, only pollers the mailbox already knows are served (503 {@code shutting_down} for new ones), and none after
 * the drain deadline. {@code PostData} is rate limited like WebSocket frames ({@code rate-limit}: one token bucket per
 * known poller, else per client address): over it, 429 {@code rate_limited} with {@code Retry-After}.
 *
 * <p>Runs on Jetty threads; bodies are read asynchronously and bounded by {@code max-frame-bytes}. Every error
 * response is counted by its code in {@link WebStats#errors}.
 */
public final class XhrHandler {

    /** The poller cookie. */
    public static final String COOKIE = "sigbridge-xhr";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final XhrMailbox mailbox;
    private final AdapterContext context;
    private final String adapter;
    private final OriginPolicy origins;
    private final int maxBodyBytes;
    private final String refusal;
    private final WebStats stats;
    private final DrainState drain;
    private final KeyedRateLimits postLimits;
    /** The cluster's mailbox when XHR sessions live in the cluster's store (docs/cluster.md §2), else {@code null}. */
    private final SharedXhrMailbox shared;

    /**
     * @param stats   counts every error response by code ({@code sigbridge_web_errors_total})
     * @param drain   while draining, new pollers get 503 {@code shutting_down}; after the deadline every request does
     * @param postLimits the {@code rate-limit} token bucket for {@code PostData}, keyed by a known poller's cookie or
     *                   else by the client address; over it: 429 {@code rate_limited} with {@code Retry-After}
     * @param refusal when not {@code null}, every XHR request is answered 403 {@code not_permitted} with this detail
     *                (XHR pollers share one mailbox, so they cannot carry per-client verified identities)
     * @param shared  with a cluster, the mailbox whose sessions any instance serves; then {@code mailbox} is unused.
     *                {@code null} without a cluster
     */
    public XhrHandler(XhrMailbox mailbox, AdapterContext context, String adapter, WebStats stats, OriginPolicy origins,
                      int maxBodyBytes, String refusal, DrainState drain, KeyedRateLimits postLimits, SharedXhrMailbox shared) {
        this.shared = shared;
        this.refusal = refusal;
        this.postLimits = postLimits;
        this.drain = drain;
        this.stats = stats;
        this.mailbox = mailbox;
        this.context = context;
        this.adapter = adapter;
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Handles {@code path} if it is an XHR endpoint; false otherwise. */
    public boolean handle(String path, Request request, Response response, Callback callback) {
        boolean post = path.equals("/Home/PostData");
        boolean get = path.equals("/Home/GetData");
        boolean longPoll = path.equals("/Home/LongPoll");
        if (!post && !get && !longPoll) {
            return false;
        }
        if (refusal != null) {
            error(response, callback, HttpStatus.FORBIDDEN_403, ErrorCode.NOT_PERMITTED, refusal, null);
            return true;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!origins.allows(origin, request.getHeaders().get(HttpHeader.HOST))) {
            error(response, callback, HttpStatus.FORBIDDEN_403, ErrorCode.NOT_PERMITTED, "origin " + origin + " is not in allowed-origins", null);
            return true;
        }
        if (origin != null) {
            // Cross-origin pages may read the answer; cookies only flow if the page opts into credentials.
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.getHeaders().add(HttpHeader.VARY, "Origin");
        }
        if (request.getMethod().equals("OPTIONS")) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "POST, GET");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
            return true;
        }
        Optional<String> cookie = cookie(request);
        if (drain.deadlinePassed() || (drain.draining() && !cookie.filter(this::knows).isPresent())) {
            // Drain (docs/operations.md §4): pollers already known are served until the deadline; no new ones.
            error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, ErrorCode.SHUTTING_DOWN, drain.deadlinePassed()
                    ? "the bridge has drained; XHR polling is closed" : "the bridge is draining and accepts no new XHR pollers", null);
            return true;
        }
        if (post && overRate(cookie.filter(this::knows).map(c -> "poller " + c)
                .orElseGet(() -> "address " + Request.getRemoteAddr(request)), response, callback)) {
            return true;
        }
        String poller = cookie.orElseGet(() -> newPoller(response));
        Content.Source.asByteArrayAsync(request, maxBodyBytes).whenComplete((body, failure) -> {
            if (failure != null) {
                error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, ErrorCode.TOO_LARGE,
                        "the body is larger than max-frame-bytes (" + maxBodyBytes + ") or unreadable", null);
                return;
            }
            Map<String, String> fields = XhrForm.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
            String channel = Optional.ofNullable(Request.extractQueryParameters(request).getValue("channel"))
                    .orElse(fields.get("channel"));
            if (shared != null) {
                sharedRequest(post, longPoll, poller, channel, fields.get("message"), request, response, callback);
                return;
            }
            if (channel != null && !channel.isEmpty() && !post) {
                mailbox.use(channel);
            }
            if (post) {
                post(fields.get("message"), response, callback);
            } else if (get) {
                answer(mailbox.poll(poller), response, callback);
            } else {
                long wait = waitMillis(Request.extractQueryParameters(request).getValue("wait"));
                mailbox.longPoll(poller, wait, entry -> answer(entry, response, callback));
            }
        });
        return true;
    }

    /** Whether the poller with this cookie is served here now. */
    private boolean knows(String poller) {
        return shared != null ? shared.knows(poller) : mailbox.knows(poller);
    }

    /** A request on a cluster: answered from the session in the cluster's store (docs/cluster.md §2). */
    private void sharedRequest(boolean post, boolean longPoll, String poller, String channel, String message, Request request,
                               Response response, Callback callback) {
        java.util.function.Consumer<SharedXhrMailbox.Answer> reply = answer -> {
            if (answer instanceof SharedXhrMailbox.Answer.Entry e) {
                answer(Optional.of(e.entry()), response, callback);
            } else if (answer instanceof SharedXhrMailbox.Answer.Nothing) {
                answer(Optional.empty(), response, callback);
            } else if (answer instanceof SharedXhrMailbox.Answer.Posted) {
                Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, XhrFrames.posted());
            } else if (answer instanceof SharedXhrMailbox.Answer.Failed f) {
                if (f.status() == HttpStatus.SERVICE_UNAVAILABLE_503) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                }
                error(response, callback, f.status(), f.code(), f.detail(), f.envelopeId());
            }
        };
        if (post) {
            Envelope envelope = read(message, response, callback);
            if (envelope != null) {
                try (EnvelopeMdc mdc = EnvelopeMdc.open(adapter, envelope)) {
                    shared.post(poller, envelope, reply);
                }
            }
        } else {
            shared.poll(poller, channel, longPoll ? waitMillis(Request.extractQueryParameters(request).getValue("wait")) : 0, reply);
        }
    }

    /** The posted envelope, or {@code null} after answering 400. Its origin names the single-instance mailbox. */
    private Envelope read(String message, Response response, Callback callback) {
        if (message == null) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, ErrorCode.INVALID_FRAME, "the form needs a field 'message'", null);
            return null;
        }
        try {
            return EnvelopeJson.read(message, new Origin(adapter, mailbox.id()), context.envelopeIds(), Instant.now(context.clock()));
        } catch (InvalidJsonException e) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, ErrorCode.INVALID_JSON,
                    "'message' must be {\"channel\":…,\"message\":…,\"sender\":…} as JSON text: " + e.getMessage(), null);
            return null;
        }
    }

    private void post(String message, Response response, Callback callback) {
        Envelope envelope = read(message, response, callback);
        if (envelope == null) {
            return;
        }
        PublishResult result;
        try (EnvelopeMdc mdc = EnvelopeMdc.open(adapter, envelope)) {
            result = mailbox.post(envelope);
        }
        if (result instanceof PublishResult.Refused refused) {
            error(response, callback, HttpStatus.FORBIDDEN_403, refused.code(), refused.detail(), envelope.id());
            return;
        }
        Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, XhrFrames.posted());
    }

    /**
     * Takes a token for a post by {@code key}; when there is none, answers 429 {@code rate_limited} with
     * {@code Retry-After} (whole seconds, at least 1; RFC 9110 §10.2.3) and returns true. The body is not read.
     */
    private boolean overRate(String key, Response response, Callback callback) {
        Optional<Duration> wait = postLimits.tryTake(key);
        if (wait.isEmpty()) {
            return false;
        }
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        stats.countRateLimited();
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        error(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, ErrorCode.RATE_LIMITED,
                "more posts than rate-limit allows for this poller; retry after " + seconds + " s", null);
        return true;
    }

    /** An error response in the docs/design.md §3.9 shape, counted by code. */
    private void error(Response response, Callback callback, int status, ErrorCode code, String detail, String id) {
        stats.countError(code);
        Replies.error(response, callback, status, code, detail, id);
    }

    private static void answer(Optional<XhrEntry> entry, Response response, Callback callback) {
        Replies.send(response, callback, HttpStatus.OK_200, Replies.JSON, entry.map(XhrFrames::entry).orElse(XhrFrames.none()));
    }

    private long waitMillis(String wait) {
        try {
            return wait == null ? Long.MAX_VALUE : Math.max(0, Long.parseLong(wait));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The poller's {@value #COOKIE} cookie when the request carries a well-formed one. */
    private static Optional<String> cookie(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(COOKIE) && cookie.getValue().matches("[0-9a-f]{32}")) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * A fresh poller key, set as the cookie. A fresh poller's cursor starts {@code xhr.backlog} back, so a page's
     * first poll sees the last seconds' messages (the original's 2-second window) and nothing after.
     */
    private static String newPoller(Response response) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String key = HexFormat.of().formatHex(id);
        response.getHeaders().add(HttpHeader.SET_COOKIE, COOKIE + "=" + key + "; Path=/; HttpOnly; SameSite=Lax");
        return key;
    }
}
