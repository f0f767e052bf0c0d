package org.sigbridge.web.identity;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.sigbridge.config.DurationText;
import org.sigbridge.config.Secret;

/**
 * Mints an identity token for {@code identity.mode: verified}:
 *
 * <pre>
 * SIGBRIDGE_TOKEN_SECRET=... java -cp dist/target/sigbridge.jar org.sigbridge.web.identity.TokenCli \
 *     --secret-env SIGBRIDGE_TOKEN_SECRET --sender alice --channels 'room-*' --ttl 1h
 * </pre>
 *
 * The secret is read from the named environment variable, never from the command line (where {@code ps} shows it).
 * Prints the token and nothing else; exit code 2 with one line on bad arguments.
 */
public final class TokenCli {

    static final String USAGE = """
            Usage: sigbridge token --secret-env NAME --sender SENDER [--channels GLOB] [--ttl 1h]
              --secret-env NAME  the environment variable holding identity.secret (never the secret itself)
              --sender SENDER    the sender id the token vouches for
              --channels GLOB    the channels it may join, e.g. 'room-*' (default: any)
              --ttl DURATION     how long it is valid, e.g. 15m or 1h (default 1h)
            Prints the token. See docs/operations.md for identity.mode: verified.""";

    private TokenCli() {
    }

    public static void main(String[] args) {
        int code = run(List.of(args), System::getenv, Clock.systemUTC(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Everything but {@code System.exit}; returns the exit code. */
    static int run(List<String> args, Function<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        String secretEnv = null;
        String sender = null;
        String channels = null;
        Duration ttl = Duration.ofHours(1);
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                String value = i + 1 < args.size() ? args.get(i + 1) : null;
                if (value == null) {
                    return fail(err, a + " needs a value");
                }
                switch (a) {
                    case "--secret-env" -> secretEnv = value;
                    case "--sender" -> sender = value;
                    case "--channels" -> channels = value;
                    case "--ttl" -> ttl = DurationText.parse(value);
                    default -> {
                        return fail(err, "unknown argument '" + a + "'");
                    }
                }
                i++;
            }
        } catch (IllegalArgumentException e) {
            return fail(err, "--ttl: " + e.getMessage());
        }
        if (secretEnv == null || sender == null || sender.isEmpty()) {
            return fail(err, "--secret-env and --sender are required");
        }
        String secret = env.apply(secretEnv);
        if (secret == null || secret.isEmpty()) {
            return fail(err, "environment variable " + secretEnv + " is not set");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            return fail(err, "--ttl must be positive, e.g. 1h");
        }
        TokenMinter minter;
        try {
            minter = new TokenMinter(Secret.of(secret));
        } catch (IllegalArgumentException e) {
            // HS256 needs a key of at least 256 bits (RFC 7518 §3.2); identity.secret has the same rule.
            return fail(err, "the secret in " + secretEnv + " is too short for HS256; use at least 32 characters, e.g. openssl rand -hex 32");
        }
        out.println(minter.mint(sender, Optional.ofNullable(channels), clock.instant(), ttl));
        return 0;
    }

    private static int fail(PrintStream err, String problem) {
        err.println("sigbridge token: " + problem);
        err.println(USAGE);
        return 2;
    }
}
