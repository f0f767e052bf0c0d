package org.sigbridge.testkit.peers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven by Selenium through Debian's chromedriver. Every {@link #open(String)}
 * starts its own ChromeDriver session, i.e. a separate browser process with a fresh profile, so two pages
 * are two independent peers.
 *
 * <p>Both binaries are set explicitly ({@value #CHROMIUM}, {@value #CHROMEDRIVER}), so Selenium Manager
 * never downloads anything. WebRTC on loopback works only when the JVM runs in a network namespace whose
 * only interface is {@code lo} ({@code unshare -n}, see {@link #loopbackOnlyNetwork()}) and the page calls
 * {@code getUserMedia({audio: true})} before creating an RTCPeerConnection: the fake-media flags grant that
 * permission, and only then does Chromium expose raw {@code 127.0.0.1} host candidates.
 *
 * <p>Used from one test thread. {@link #close()} quits every page it opened and deletes their profiles; it
 * is idempotent.
 */
public final class Chromium implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static final List<String> FLAGS = List.of(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-quic", "--log-level=3",
            // WebRTC between pages on 127.0.0.1: loopback candidates plus an auto-granted fake microphone
            "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream");

    private final ScratchDir dir;
    private final List<ChromiumPage> pages = new ArrayList<>();
    private boolean closed;

    private Chromium(ScratchDir dir) {
        this.dir = dir;
    }

    /** Checks that both binaries exist; browsers start lazily on {@link #open(String)}. */
    public static Chromium start() {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new PeerException(binary + " is missing; install the Debian packages chromium and chromium-driver");
            }
        }
        return new Chromium(ScratchDir.create("sigbridge-chromium-"));
    }

    /**
     * Starts a new browser session and navigates it to {@code url}; blocks for browser start and page load
     * (about 1–3 s).
     */
    public synchronized ChromiumPage open(String url) {
        if (closed) {
            throw new IllegalStateException("Chromium is closed");
        }
        int index = pages.size();
        Path profile = dir.resolve("profile-" + index);
        try {
            Files.createDirectories(profile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + profile, e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver-" + index + ".log").toFile())
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw new PeerException("chromium did not start: " + e.getMessage(), e);
        }
        ChromiumPage page = new ChromiumPage(driver);
        pages.add(page);
        driver.get(url);
        return page;
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

    /** Quits every page's browser and deletes the profiles. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pages.forEach(ChromiumPage::close);
        pages.clear();
        dir.close();
    }
}
