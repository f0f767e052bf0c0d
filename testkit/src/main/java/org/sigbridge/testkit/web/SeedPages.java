package org.sigbridge.testkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;

/**
 * Browser pages written in the style of the WebRTC-Experiment seed, one per web dialect
 * ({@code channels.html}, {@code envelope.html}, {@code xhr.html}) on a shared DataChannel.js-like
 * {@code peer-logic.js}. A test extracts them into a temp directory and serves them with the web adapter's
 * {@code static-dir} setting. A page takes {@code ?role=offer|answer&room=R}; the offerer re-announces until
 * the answerer answers, then sets {@code window.result} to what its data channel brought, or
 * {@code window.failure} to an error. Stateless; safe from any thread.
 */
public final class SeedPages {

    /** Every file a page needs, as served from the static directory's root. */
    public static final List<String> FILES = List.of("peer-logic.js", "channels.html", "envelope.html", "xhr.html");

    private SeedPages() {
    }

    /** Copies {@link #FILES} into {@code dir} (which must exist and not hold them yet) and returns {@code dir}. */
    public static Path extractTo(Path dir) {
        for (String file : FILES) {
            try (InputStream in = SeedPages.class.getResourceAsStream("pages/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("seed page missing from the testkit jar: " + file);
                }
                Files.copy(in, dir.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy seed page " + file + " to " + dir, e);
            }
        }
        return dir;
    }

    /**
     * Opens {@code answerUrl} then {@code offerUrl} (the same page, {@code role=answer} and {@code role=offer},
     * one room) in {@code chromium} and asserts that the data channel carried ping one way and pong the
     * other, each within {@code timeout}. Blocks the calling test thread.
     */
    public static void assertDataChannel(Chromium chromium, String answerUrl, String offerUrl, Duration timeout) {
        ChromiumPage answer = chromium.open(answerUrl);
        ChromiumPage offer = chromium.open(offerUrl);
        offer.waitFor("window.result || window.failure", timeout);
        answer.waitFor("window.result || window.failure", timeout);
        assertEquals("pong from answerer", offer.eval("return window.result || window.failure;"),
                "what the offerer's data channel got");
        assertEquals("ping from offerer", answer.eval("return window.result || window.failure;"),
                "what the answerer's data channel got");
    }
}
