package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 3261 §19.1.4's own examples of equivalent and of different URIs, and the forms the adapter meets. */
class SipUrisTest {

    @Test
    void theRfcsEquivalentPairsAreEquivalent() {
        assertTrue(SipUris.equivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
        assertTrue(SipUris.equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
        assertTrue(SipUris.equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
        assertTrue(SipUris.equivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
        assertTrue(SipUris.equivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
        assertTrue(SipUris.equivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
        assertTrue(SipUris.equivalent("SIP:alice@LOCALHOST", "sip:alice@localhost"));
    }

    @Test
    void theRfcsDifferentPairsAreNot() {
        assertFalse(SipUris.equivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
        assertFalse(SipUris.equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
        assertFalse(SipUris.equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
        assertFalse(SipUris.equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
        assertFalse(SipUris.equivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
        assertFalse(SipUris.equivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
        assertFalse(SipUris.equivalent("sip:alice@localhost", "sips:alice@localhost"));
        assertFalse(SipUris.equivalent("sip:alice@localhost", "not a uri"));
    }

    @Test
    void aUriWithParametersNamesTheAddressOfRecordItIsFor() {
        assertTrue(SipUris.namesAor("sip:desk@localhost;transport=tcp", "sip:desk@localhost"));
        assertTrue(SipUris.namesAor("sip:desk@LOCALHOST", "sip:desk@localhost"));
        assertFalse(SipUris.namesAor("sip:desk@localhost:5070;transport=tcp", "sip:desk@localhost"));
        assertFalse(SipUris.namesAor("sip:desk@localhost", "sip:carol@localhost"));
        assertFalse(SipUris.namesAor("not a uri", "sip:desk@localhost"));
    }
}
