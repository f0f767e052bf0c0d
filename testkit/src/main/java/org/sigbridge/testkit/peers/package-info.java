/**
 * Real peers on loopback for tests: Prosody and ejabberd (XMPP + MUC), Kamailio (SIP registrar and proxy), sipp and
 * headless Chromium, each started as a child process from a private temp directory on a probed port; command-line
 * clients read line by line ({@link org.sigbridge.testkit.peers.LineClient}), and Node scripts that drive real npm
 * clients and report to the test in JSON lines ({@link org.sigbridge.testkit.peers.NodeDriver}).
 *
 * <p>Every server binds 127.0.0.1 only, is owned by the object that started it and is stopped by its
 * idempotent {@code close()}. Starts and stops are bounded; a peer that does not come up fails with a
 * {@link org.sigbridge.testkit.peers.PeerException} that carries the tail of its log. Nothing here reads
 * files outside the jar and the temp directories it creates.
 */
package org.sigbridge.testkit.peers;
