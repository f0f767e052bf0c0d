package org.sigbridge.sip.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class RegistrationContactKeyTest {

    @Test
    void comparesContactsByUserHostAndPortOnly() {
        assertEquals("room1@127.0.0.1:5070", Registration.contactKey("sip:room1@127.0.0.1:5070;transport=tcp"));
        assertEquals("room1@127.0.0.1:5070", Registration.contactKey("<sip:room1@127.0.0.1:5070>"));
        assertEquals("room1@example.org:5070", Registration.contactKey("SIP:room1@Example.ORG:5070;lr?x=y"));
        assertEquals(Registration.contactKey("sips:room1@h:5061"), Registration.contactKey("sip:room1@h:5061;transport=tls"));
    }

    @Test
    void userPartsStayCaseSensitive() {
        assertNotEquals(Registration.contactKey("sip:Room@h:5070"), Registration.contactKey("sip:room@h:5070"));
    }
}
