/**
 * The scenario runner: starts sigbridge and the Node.js relay on loopback (pinned with {@code taskset}
 * where possible), runs each comparison in one run with repeats, samples RSS and CPU from {@code /proc},
 * and writes the tables, JSON lines and plots. New paths (XMPP, SIP) plug in as further {@link
 * org.sigbridge.bench.scenario.ServerUnderTest}s and scenarios.
 */
package org.sigbridge.bench.scenario;
