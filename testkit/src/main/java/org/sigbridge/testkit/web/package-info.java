/**
 * Browser-side test clients for the web adapter: {@link org.sigbridge.testkit.web.WsClient}, a real JDK
 * WebSocket that plays a seed page's socket; {@link org.sigbridge.testkit.web.Frames}, which reads the
 * frames it collects with the bridge's own exact-text JSON reader; and
 * {@link org.sigbridge.testkit.web.SeedPages}, seed-style pages for real Chromium calls through a bridge.
 * One client per test, closed by the test.
 */
package org.sigbridge.testkit.web;
