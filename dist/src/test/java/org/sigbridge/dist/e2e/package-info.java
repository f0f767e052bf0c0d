/**
 * End-to-end tests across modules: browsers (JDK WebSocket clients, headless Chromium) on a real web adapter,
 * bridged to a real Prosody (Smack users in MUC rooms) or a real Kamailio (JAIN-SIP user agents). Bridges run
 * in-process from YAML ({@code *Test}, surefire) or as the packaged jar ({@code *IT}, failsafe), where the
 * operator interface is the point.
 *
 * <p>Nothing is mocked: every peer is a real server or client on 127.0.0.1. The WebRTC tests need a
 * loopback-only network namespace ({@code unshare -n}), as {@code scripts/test} provides.
 */
package org.sigbridge.dist.e2e;
