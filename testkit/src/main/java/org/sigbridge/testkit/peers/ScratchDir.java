package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temp directory (mode 0700, as {@link Files#createTempDirectory} makes it) that is deleted
 * recursively by {@link #close()}. Not thread-safe; owned by one peer.
 */
public final class ScratchDir implements AutoCloseable {
    private final Path path;

    private ScratchDir(Path path) {
        this.path = path;
    }

    /** A new directory named {@code prefix} plus a random suffix in the system temp directory. */
    public static ScratchDir create(String prefix) {
        try {
            return new ScratchDir(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create temp dir " + prefix, e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Copies a classpath resource next to {@code anchor} into this directory and returns the new file. */
    Path extract(Class<?> anchor, String resource, String fileName) {
        Path target = path.resolve(fileName);
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new PeerException("missing classpath resource " + resource + " next to " + anchor.getName());
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource, e);
        }
    }

    /** Reads a classpath resource next to {@code anchor} as UTF-8 text. */
    static String readResource(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new PeerException("missing classpath resource " + resource + " next to " + anchor.getName());
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Deletes the directory tree; idempotent. Leftovers are ignored (best effort). */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(ScratchDir::deleteQuietly);
        } catch (IOException e) {
            // best effort: a temp dir left behind is not worth failing a test for
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort, see close()
        }
    }
}
