package org.sigbridge.launch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.config.DurationText;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.web.identity.TokenCli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code sigbridge}: validate the config, start the bridge, log what listens where, and stop cleanly.
 *
 * <p>No logger is created before the config is read, so {@code logging:} applies from the first line.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(List.of(args), System.out, System.err);
        if (code != EXIT_OK || !running) {
            System.exit(code);
        }
    }

    private static volatile boolean running;

    /** Everything but {@code System.exit}: returns the exit code, or blocks while the bridge runs. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.get(0).equals("token")) {
            TokenCli.main(args.subList(1, args.size()).toArray(String[]::new));
            return EXIT_OK;
        }
        StringBuilder problem = new StringBuilder();
        Optional<CommandLine> parsed = CommandLine.parse(args, CommandLine.defaultConfig(System.getProperty("sigbridge.home")), problem);
        if (parsed.isEmpty()) {
            err.println("sigbridge: " + problem);
            err.println(CommandLine.USAGE);
            return EXIT_BAD_CONFIG;
        }
        CommandLine cmd = parsed.get();
        switch (cmd.mode()) {
            case HELP -> {
                out.println(CommandLine.USAGE);
                return EXIT_OK;
            }
            case VERSION -> {
                out.println("sigbridge " + SigBridge.version());
                return EXIT_OK;
            }
            default -> {
            }
        }
        ConfigLoader loader = new ConfigLoader(ConfigLoader.installedFactories(), System::getenv,
                w -> err.println("sigbridge: warning: " + w));
        if (cmd.mode() == CommandLine.Mode.CHECK) {
            return check(loader, cmd.files(), out, err);
        }
        BridgeConfig config;
        try {
            config = loader.load(cmd.config());
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("sigbridge: " + p.located()));
            return EXIT_BAD_CONFIG;
        }
        LoggingSetup.apply(config.logging());
        JettyCacheLineHint.apply();
        return serve(config, cmd.mode() == CommandLine.Mode.EXIT_WHEN_READY);
    }

    /**
     * Checks every file, printing every problem of each to {@code err} and each good file's routing table to
     * {@code out}; exit code 2 when any file has a problem.
     */
    private static int check(ConfigLoader loader, List<Path> files, PrintStream out, PrintStream err) {
        int failed = 0;
        for (Path file : files) {
            BridgeConfig config;
            try {
                config = loader.load(file);
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println("sigbridge: " + p.located()));
                failed++;
                continue;
            }
            out.println(file + ": OK");
            out.println("adapters: " + String.join(", ", config.adapterNames()));
            out.println("routes:");
            config.routes().describe().forEach(line -> out.println("  " + line));
        }
        if (files.size() > 1) {
            out.println((files.size() - failed) + " of " + files.size() + " files OK");
        }
        return failed == 0 ? EXIT_OK : EXIT_BAD_CONFIG;
    }

    /** Runs the bridge until a signal stops it, or (with {@code exitWhenReady}) stops it cleanly once it is ready. */
    private static int serve(BridgeConfig config, boolean exitWhenReady) {
        Logger log = LoggerFactory.getLogger(Main.class);
        long t0 = System.nanoTime();
        log.info("sigbridge {} '{}' starting with {}", SigBridge.version(), config.bridge().name(), config.source());
        SigBridge bridge = SigBridge.create(config);
        try {
            bridge.start();
        } catch (AdapterStartException e) {
            log.error("failed to start: {}", e.getMessage());
            return EXIT_START_FAILED;
        }
        if (exitWhenReady) {
            bridge.describe().forEach(line -> log.info("{}", line));
            log.info("ready in {} ms; stopping (--exit-when-ready)", (System.nanoTime() - t0) / 1_000_000);
            bridge.close();
            log.info("stopped");
            return EXIT_OK;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: draining for up to {}", DurationText.format(config.bridge().shutdownGrace()));
            bridge.close();
            log.info("stopped");
            stopped.countDown();
        }, "sigbridge-shutdown"));
        installSignals(log);
        installReload(log, bridge);
        // Only now is a stop handled gracefully, so only now say "ready".
        bridge.describe().forEach(line -> log.info("{}", line));
        log.info("ready in {} ms; stop with Ctrl-C or SIGTERM", (System.nanoTime() - t0) / 1_000_000);
        running = true;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    /**
     * SIGTERM and the first Ctrl-C stop gracefully with exit code 0 (the JVM's default would be 143/130);
     * a second Ctrl-C while draining exits at once, as Prosody and Kamailio users expect.
     */
    private static void installSignals(Logger log) {
        AtomicInteger interrupts = new AtomicInteger();
        try {
            Signal.handle(new Signal("TERM"), s -> exitAsync(EXIT_OK));
            Signal.handle(new Signal("INT"), s -> {
                if (interrupts.incrementAndGet() > 1) {
                    log.warn("second interrupt: exiting now");
                    Runtime.getRuntime().halt(130);
                }
                exitAsync(EXIT_OK);
            });
        } catch (IllegalArgumentException e) {
            log.debug("signals not available here; relying on the JVM's shutdown hooks", e);
        }
    }

    /**
     * SIGHUP reloads the routes from the config file, as Prosody and Kamailio operators expect; a bad file is
     * logged in one line and the current table stays. The reload runs on its own short-lived thread so the
     * signal dispatcher never waits on file I/O.
     */
    private static void installReload(Logger log, SigBridge bridge) {
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), s -> {
                Thread t = new Thread(bridge::reloadRoutes, "sigbridge-reload");
                t.setDaemon(true);
                t.start();
            });
            if (before == SignalHandler.SIG_IGN) {
                // The JVM keeps a SIGHUP that the process was started with ignored (nohup does that) and never calls us.
                log.warn("SIGHUP is ignored by this process (started with nohup?), so it cannot reload routes; "
                        + "use POST /admin/reload, or start sigbridge without nohup");
            }
        } catch (IllegalArgumentException e) {
            log.warn("SIGHUP not available here ({}); reload routes with POST /admin/reload", e.getMessage());
        }
    }

    private static void exitAsync(int code) {
        Thread t = new Thread(() -> System.exit(code), "sigbridge-exit");
        t.setDaemon(true);
        t.start();
    }
}
