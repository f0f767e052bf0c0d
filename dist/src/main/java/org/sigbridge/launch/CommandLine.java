package org.sigbridge.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Parsed arguments.
 *
 * @param mode  what to do
 * @param files the config file to run, or every file to check (at least one)
 */
record CommandLine(Mode mode, List<Path> files) {

    CommandLine {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("at least one config file");
        }
    }

    /** The config file to run (the first of the files to check). */
    Path config() {
        return files.get(0);
    }

    static final Path DEFAULT_CONFIG = Path.of("conf", "sigbridge.yml");

    /**
     * The default config: {@code conf/sigbridge.yml} under {@code home} (set by {@code bin/sigbridge} to
     * the install directory), else relative to the working directory.
     */
    static Path defaultConfig(String home) {
        return home == null || home.isEmpty() ? DEFAULT_CONFIG : Path.of(home).resolve(DEFAULT_CONFIG);
    }

    /**
     * What to do. {@code EXIT_WHEN_READY} runs the config like {@code RUN} but stops cleanly as soon as the bridge is
     * ready: a smoke test of a config, and the build's class-data sharing training run (docs/operations.md).
     */
    enum Mode { RUN, EXIT_WHEN_READY, CHECK, HELP, VERSION }

    static final String USAGE = """
            Usage: sigbridge [--config FILE]     run the bridge (default config: conf/sigbridge.yml)
                   sigbridge --exit-when-ready [--config FILE]
                                                 start, stop cleanly once ready, exit 0 (a smoke test)
                   sigbridge --check [FILE...]   validate each FILE (or --config FILE): every problem of every
                                                 file, then each file's routing table
                   sigbridge token --secret-env NAME --sender S [--channels GLOB] [--ttl 1h]
                                                 mint a verified-identity token (sigbridge token --help)
                   sigbridge --help              show this help
                   sigbridge --version           show the version

            Environment: ${NAME} and ${NAME:-default} in the YAML file are read from the environment.
            Exit codes: 0 stopped cleanly, 1 failed to start, 2 bad arguments or config.
            Docs: conf/README.md (every key), docs/ (operations, benchmarks).""";

    /** Parses arguments, or explains what is wrong. */
    static Optional<CommandLine> parse(List<String> args, StringBuilder error) {
        return parse(args, DEFAULT_CONFIG, error);
    }

    /** Parses arguments with {@code defaultConfig} for when none is given. */
    static Optional<CommandLine> parse(List<String> args, Path defaultConfig, StringBuilder error) {
        Mode mode = Mode.RUN;
        Path config = null;
        List<Path> checks = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-h", "--help" -> mode = Mode.HELP;
                case "-V", "--version" -> mode = Mode.VERSION;
                case "--exit-when-ready" -> mode = Mode.EXIT_WHEN_READY;
                case "-c", "--config" -> {
                    if (i + 1 >= args.size()) {
                        error.append(a).append(" needs a file");
                        return Optional.empty();
                    }
                    config = Path.of(args.get(++i));
                }
                case "--check" -> {
                    mode = Mode.CHECK;
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                        checks.add(Path.of(args.get(++i)));
                    }
                }
                default -> {
                    if (a.startsWith("--config=")) {
                        config = Path.of(a.substring("--config=".length()));
                    } else {
                        error.append("unknown argument '").append(a).append("'");
                        return Optional.empty();
                    }
                }
            }
        }
        if (!checks.isEmpty()) {
            if (config != null) {
                checks.add(0, config);
            }
            return Optional.of(new CommandLine(mode, checks));
        }
        return Optional.of(new CommandLine(mode, List.of(config == null ? defaultConfig : config)));
    }
}
