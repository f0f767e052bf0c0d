package org.sigbridge.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ready scenario starts a jar "as shipped" the way the launcher of the tree it was built in starts it. */
class ShippedLaunchArgsTest {

    @Test
    void thisTreesLauncherStartsTheJarByClassPath() throws Exception {
        Path jar = Path.of("..").toAbsolutePath().normalize().resolve("dist/target/sigbridge.jar");
        assertEquals(List.of("-cp", jar.toString(), "org.sigbridge.launch.Main"), SigbridgeServer.shippedLaunchArgs(jar));
    }

    @Test
    void aTreeWhoseLauncherUsesDashJarIsStartedWithDashJar(@TempDir Path tree) throws Exception {
        Files.createDirectories(tree.resolve("bin"));
        Files.writeString(tree.resolve("bin/sigbridge"), """
                # -cp "$JAR" org.sigbridge.launch.Main in a comment does not count
                exec java -cp "$JAR" org.sigbridge.web.identity.TokenCli "$@"
                exec java "${CDS[@]}" -jar "$JAR" "$@"
                """);
        Path jar = tree.resolve("dist/target/sigbridge.jar");
        assertEquals(List.of("-jar", jar.toString()), SigbridgeServer.shippedLaunchArgs(jar));
    }

    @Test
    void aJarOutsideATreeIsStartedWithDashJar(@TempDir Path dir) {
        Path jar = dir.resolve("a/b/sigbridge.jar"); // the "tree" would be dir, which has no bin/sigbridge
        assertEquals(List.of("-jar", jar.toString()), SigbridgeServer.shippedLaunchArgs(jar));
    }
}
