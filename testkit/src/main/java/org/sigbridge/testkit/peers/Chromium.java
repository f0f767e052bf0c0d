package org.sigbridge.testkit.peers;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium for tests. Every {@link #open(String)} gives a page in its own browser context (its own
 * cookies, storage, cache, service workers and permissions, like a fresh profile), so two pages are two independent
 * peers; all pages of the test JVM with the same flags share one browser process ({@link BrowserProcess}: started on
 * first use, restarted on the next use after it died, stopped when the JVM exits), which saves a browser start
 * (1–3 s) per page. Pages are driven over the Chrome DevTools Protocol.
 *
 * <p>WebRTC on loopback works only when the JVM runs in a network namespace whose only interface is {@code lo}
 * ({@code unshare -n}, see {@link #loopbackOnlyNetwork()}) and the page calls {@code getUserMedia({audio: true})}
 * before creating an RTCPeerConnection: the fake-media flags grant that permission, and only then does Chromium
 * expose raw {@code 127.0.0.1} host candidates.
 *
 * <p>Used from one test thread. {@link #close()} closes every page it opened (disposing their browser contexts) and
 * leaves the shared browser running; it is idempotent.
 */
public final class Chromium implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";

    private static final List<String> FLAGS = List.of(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-quic", "--log-level=3",
            // WebRTC between pages on 127.0.0.1: loopback candidates plus an auto-granted fake microphone
            "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            // Many tabs share one browser now: none may be throttled as a background tab, as none was when every
            // page had a browser (and so a foreground window) of its own.
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows");

    private final List<String> flags;
    private final List<ChromiumPage> pages = new ArrayList<>();
    private boolean closed;

    private Chromium(List<String> flags) {
        this.flags = flags;
    }

    /**
     * Checks that Chromium is installed and makes sure the shared browser runs (blocks for its start, 1–3 s, when it is
     * the JVM's first), so that a test's own time and timeout do not pay for the start.
     */
    public static Chromium start() {
        return start(List.of());
    }

    /**
     * As {@link #start()}, with {@code extraFlags} added to the command line (e.g.
     * {@code --autoplay-policy=no-user-gesture-required}); pages of the same flags share one browser process.
     */
    public static Chromium start(List<String> extraFlags) {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new PeerException(CHROMIUM + " is missing; install the Debian package chromium");
        }
        List<String> flags = Stream.concat(FLAGS.stream(), extraFlags.stream()).toList();
        BrowserProcess.shared(flags);
        return new Chromium(flags);
    }

    /**
     * Opens a new page in a browser context of its own and navigates it to {@code url}; blocks for the page load (and
     * for a new browser's start if the shared one died).
     */
    public synchronized ChromiumPage open(String url) {
        if (closed) {
            throw new IllegalStateException("Chromium is closed");
        }
        ChromiumPage page = ChromiumPage.create(BrowserProcess.shared(flags));
        pages.add(page);
        page.navigate(url);
        return page;
    }

    /** The pid of the browser process this instance's pages run in (started if none runs), for tests of testkit. */
    long browserPid() {
        return BrowserProcess.shared(flags).pid();
    }

    /**
     * True if {@code lo} is the only network interface, i.e. the JVM runs inside {@code unshare -n} with lo up:
     * the environment in which Chromium gathers 127.0.0.1 ICE candidates and makes no outside requests.
     */
    public static boolean loopbackOnlyNetwork() {
        return interfaceNames().equals(List.of("lo"));
    }

    /** Names of the network interfaces that are up, for diagnostics. */
    public static List<String> interfaceNames() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(Chromium::isUp)
                    .map(NetworkInterface::getName)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (SocketException e) {
            throw new PeerException("cannot list network interfaces", e);
        }
    }

    private static boolean isUp(NetworkInterface nif) {
        try {
            return nif.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    /** Closes every page this instance opened (their browser contexts with them). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pages.forEach(ChromiumPage::close);
        pages.clear();
    }
}
