/**
 * SIP rows of docs/interop.md: the sip adapter with baresip, linphonec, sipsak and JsSIP in headless Chromium,
 * through Kamailio (plain, with digest auth, with SIP over WebSocket) and straight to the bridge.
 */
package org.sigbridge.interop.sip;
