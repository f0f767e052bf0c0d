package org.sigbridge.cluster;

import java.nio.file.Path;
import org.sigbridge.SigBridge;
import org.sigbridge.web.WebAdapter;

/**
 * A bridge instance in a process of its own, for tests that kill one with SIGKILL ({@link ChildInstance}): loads the
 * YAML file named by the first argument, starts, prints {@code READY <web port>} and runs until it is killed.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        SigBridge bridge = SigBridge.create(SigBridge.load(Path.of(args[0])));
        bridge.start();
        int port = bridge.adapter("web").map(WebAdapter.class::cast).orElseThrow().port();
        System.out.println("READY " + port);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
