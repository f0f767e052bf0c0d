/**
 * The command line of the standalone bridge: {@code sigbridge [--config FILE] | --check FILE | --help | --version}.
 * Reads the config before logging starts, so a bad file fails with one line on stderr and exit code 2; sets up
 * logback and routes java.util.logging to SLF4J (the bridge library itself picks no backend); handles SIGTERM and
 * Ctrl-C (twice to exit at once) and SIGHUP (reload routes). Lives in dist, not in the embeddable core.
 */
package org.sigbridge.launch;
