/**
 * The SIP path: two sigbridge instances registered at one Kamailio (browser → sigbridge → Kamailio →
 * sigbridge → browser, MESSAGE over TCP), against JAIN-SIP user agents exchanging the same MESSAGEs
 * directly through the same Kamailio.
 */
package org.sigbridge.bench.sip;
