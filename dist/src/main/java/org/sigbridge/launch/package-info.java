/**
 * The command line: {@code sigbridge [--config FILE] | --check FILE | --help | --version}. Reads the
 * config before logging starts, so a bad file fails with one line on stderr and exit code 2; handles
 * SIGTERM and Ctrl-C (twice to exit at once).
 */
package org.sigbridge.launch;
