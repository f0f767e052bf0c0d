package org.sigbridge.testkit.peers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.WebDriver;
import org.sigbridge.testkit.peers.CdpConnection.CdpError;

/**
 * One page opened by {@link Chromium#open(String)}: a tab in its own browser context of the shared headless
 * Chromium ({@link BrowserProcess}), so it shares no cookies, storage, cache, service workers or permissions with
 * any other page, just as when every page had its own browser process. Driven over the Chrome DevTools Protocol.
 *
 * <p>Used from one test thread; closed by its {@link Chromium} (or earlier by {@link #close()}, idempotent), which
 * disposes the browser context and with it the tab. After close every method but {@code close} fails.
 */
public final class ChromiumPage implements AutoCloseable {
    /** Like Selenium's default page-load timeout, but shorter: a test page that takes a minute is broken. */
    static final Duration LOAD = Duration.ofSeconds(60);
    /** Selenium's default script timeout, which {@link #eval} used to have. */
    static final Duration SCRIPT = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 50;
    private static final int LOADS_KEPT = 32;

    private final CdpConnection cdp;
    private final String contextId;
    private final String targetId;
    private final String sessionId;
    /** Loader ids whose main-frame document fired {@code load} (newest last, bounded); guarded by itself. */
    private final Deque<String> loaded = new ArrayDeque<>();
    private volatile boolean detached;
    private volatile boolean closed;
    private WebDriver driver;

    private ChromiumPage(CdpConnection cdp, String contextId, String targetId, String sessionId) {
        this.cdp = cdp;
        this.contextId = contextId;
        this.targetId = targetId;
        this.sessionId = sessionId;
    }

    /**
     * Creates a browser context with one blank tab in {@code browser}, attaches to it and enables the load events
     * {@link #navigate} waits for. Blocks (tens of milliseconds).
     */
    static ChromiumPage create(BrowserProcess browser) {
        CdpConnection cdp = browser.connection();
        String contextId = cdp.call(null, "Target.createBrowserContext", CdpConnection.params(), COMMAND)
                .path("browserContextId").asText();
        try {
            String targetId = cdp.call(null, "Target.createTarget", CdpConnection.params().put("url", "about:blank")
                    .put("browserContextId", contextId), COMMAND).path("targetId").asText();
            String sessionId = cdp.call(null, "Target.attachToTarget", CdpConnection.params().put("targetId", targetId)
                    .put("flatten", true), COMMAND).path("sessionId").asText();
            ChromiumPage page = new ChromiumPage(cdp, contextId, targetId, sessionId);
            cdp.listen(sessionId, page::onEvent);
            page.command("Page.enable", CdpConnection.params());
            page.command("Page.setLifecycleEventsEnabled", CdpConnection.params().put("enabled", true));
            return page;
        } catch (RuntimeException e) {
            dispose(cdp, contextId);
            throw e;
        }
    }

    /** On the connection's thread: records main-document loads and the tab's end; never blocks. */
    private void onEvent(JsonNode event) {
        String method = event.path("method").asText();
        if (method.equals("Page.lifecycleEvent") && event.path("params").path("name").asText().equals("load")) {
            synchronized (loaded) {
                loaded.addLast(event.path("params").path("loaderId").asText());
                if (loaded.size() > LOADS_KEPT) {
                    loaded.removeFirst();
                }
                loaded.notifyAll();
            }
        } else if (method.equals("Target.detachedFromTarget") || method.equals("Inspector.detached")
                || method.equals("Inspector.targetCrashed") || method.equals("closed")) {
            detached = true;
            synchronized (loaded) {
                loaded.notifyAll();
            }
        }
    }

    /**
     * A Selenium {@link WebDriver} view of this page for what {@link #eval} and {@link #waitFor} do not cover: page
     * loads, title and URL, window size and screenshots ({@code TakesScreenshot}); element finding, frames, cookies
     * and the other windows are not supported (use {@link #eval}).
     */
    public synchronized WebDriver driver() {
        if (driver == null) {
            driver = new PageDriver(this);
        }
        return driver;
    }

    /**
     * Navigates this page to {@code url} and blocks until its document has fired {@code load} (as Selenium's
     * {@code get} did).
     *
     * @throws PeerException if the URL cannot be loaded (the network error Chromium names) or within a minute
     */
    public void navigate(String url) {
        JsonNode answer = command("Page.navigate", CdpConnection.params().put("url", url));
        if (answer.hasNonNull("errorText")) {
            throw new PeerException("chromium could not load " + url + ": " + answer.get("errorText").asText());
        }
        if (answer.hasNonNull("loaderId")) {
            awaitLoad(answer.get("loaderId").asText(), url);
        }
    }

    private void awaitLoad(String loaderId, String url) {
        long deadline = System.nanoTime() + LOAD.toNanos();
        synchronized (loaded) {
            while (!loaded.contains(loaderId)) {
                long left = deadline - System.nanoTime();
                if (detached) {
                    throw new PeerException("the chromium tab went away while loading " + url);
                }
                if (left <= 0) {
                    throw new PeerException("chromium did not finish loading " + url + " within " + LOAD);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(loaded, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PeerException("interrupted while loading " + url, e);
                }
            }
        }
    }

    /**
     * Runs {@code script} as the body of a function in the page (so use {@code return ...}) with {@code args} as its
     * {@code arguments} and returns its value as Selenium converted it: Boolean, Long (whole numbers), Double,
     * String, List, Map or null. A returned promise is awaited. A script started while the page is between two
     * documents is run again in the new one.
     *
     * @throws JavascriptException if the script throws
     */
    public Object eval(String script, Object... args) {
        String expression = "(function () {\n" + script + "\n}).apply(window, "
                + CdpConnection.JSON.valueToTree(args) + ")";
        ObjectNode params = CdpConnection.params().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        long deadline = System.nanoTime() + SCRIPT.toNanos();
        while (true) {
            try {
                JsonNode answer = call(sessionId, "Runtime.evaluate", params, SCRIPT);
                if (answer.has("exceptionDetails")) {
                    throw new JavascriptException("javascript error: " + describe(answer.get("exceptionDetails")));
                }
                return value(answer.path("result"));
            } catch (CdpError e) {
                // The document was replaced while the script ran or before it started (a navigation the page made):
                // Selenium waited for the new document; so does this.
                if (!betweenDocuments(e) || System.nanoTime() - deadline > 0) {
                    throw new PeerException("chromium could not run a script: " + e.getMessage(), e);
                }
                pause();
            }
        }
    }

    private static boolean betweenDocuments(CdpError e) {
        String message = e.getMessage();
        return message.contains("Execution context was destroyed") || message.contains("Cannot find context")
                || message.contains("Inspected target navigated or closed");
    }

    private static String describe(JsonNode details) {
        JsonNode exception = details.path("exception");
        String text = exception.hasNonNull("description") ? exception.get("description").asText()
                : details.path("text").asText();
        return text + " (line " + details.path("lineNumber").asInt() + ")";
    }

    /** A returned JSON value as Selenium's conversion made it; whole numbers become Long as JSON had them. */
    private static Object value(JsonNode result) {
        if (result.has("unserializableValue")) {
            return switch (result.get("unserializableValue").asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                case "-0" -> 0L;
                default -> result.get("unserializableValue").asText();
            };
        }
        return java(result.path("value"));
    }

    private static Object java(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? (Object) (long) d : (Object) d;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(java(item)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            map.put(field.getKey(), java(field.getValue()));
        }
        return map;
    }

    /**
     * Polls the JavaScript expression {@code condition} (every 50 ms) until it is truthy and returns its value.
     *
     * @throws AssertionError naming the condition and its last value if {@code timeout} passes first
     * @throws JavascriptException at once if the condition throws
     */
    public Object waitFor(String condition, Duration timeout) {
        String script = "return (" + condition + ");";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object value = eval(script);
            if (truthy(value)) {
                return value;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("page condition not met within " + timeout + ": " + condition
                        + " (last value: " + value + ")");
            }
            pause();
        }
    }

    private static boolean truthy(Object value) {
        return !(value == null || Boolean.FALSE.equals(value) || "".equals(value)
                || (value instanceof Number n && n.doubleValue() == 0));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while polling a page", e);
        }
    }

    /** Sends one DevTools command to this page's session (for {@link PageDriver}). */
    JsonNode command(String method, ObjectNode params) {
        return call(sessionId, method, params, COMMAND);
    }

    /** Sends one browser-level DevTools command about this page's tab (for {@link PageDriver}). */
    JsonNode browserCommand(String method, ObjectNode params) {
        return call(null, method, params, COMMAND);
    }

    private JsonNode call(String session, String method, ObjectNode params, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("this ChromiumPage is closed");
        }
        return cdp.call(session, method, params, timeout);
    }

    String targetId() {
        return targetId;
    }

    /** Disposes this page's browser context, closing its tab. Idempotent; a browser already gone is ignored. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cdp.unlisten(sessionId);
        dispose(cdp, contextId);
    }

    private static void dispose(CdpConnection cdp, String contextId) {
        if (!cdp.isOpen()) {
            return;
        }
        try {
            cdp.call(null, "Target.disposeBrowserContext", CdpConnection.params().put("browserContextId", contextId),
                    COMMAND);
        } catch (CdpError | PeerException e) {
            // the browser died or restarted: the context went with it
        }
    }
}
