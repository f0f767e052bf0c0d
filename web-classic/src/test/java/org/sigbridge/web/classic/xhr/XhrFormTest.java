package org.sigbridge.web.classic.xhr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Form bodies as pages send them. */
class XhrFormTest {

    @Test
    void readsMultipartFormDataAsFormDataSendsIt() {
        String body = "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n{\"a\":\"Grüße\\r\\n\"}\r\n"
                + "------WebKitFormBoundaryX--\r\n";
        Map<String, String> f = XhrForm.parse("multipart/form-data; boundary=----WebKitFormBoundaryX", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("message", "{\"a\":\"Grüße\\r\\n\"}"), f);
    }

    @Test
    void readsUrlEncodedForms() {
        assertEquals(Map.of("message", "{\"a\":1}", "x", ""),
                XhrForm.parse("application/x-www-form-urlencoded", "message=%7B%22a%22%3A1%7D&x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEveryTextPartOfAMultipartBodyAndTheLastOfARepeatedNameWins() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nroom\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nfirst\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nsecond\r\n--b--\r\n";
        assertEquals(Map.of("channel", "room", "message", "second"),
                XhrForm.parse("multipart/form-data; boundary=\"b\"", body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("message", "2"),
                XhrForm.parse("application/x-www-form-urlencoded", "message=1&message=2".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnreadableBodyGivesNoFields() {
        assertEquals(Map.of(), XhrForm.parse("multipart/form-data", "--b\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(), XhrForm.parse("multipart/form-data; boundary=b", "no parts at all".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void getDataAnswerCarriesTheEnvelopeAsAString() {
        assertEquals("{\"ID\":3,\"Message\":\"{\\\"a\\\":1}\",\"Date\":\"\\/Date(5)\\/\"}", XhrFrames.entry(new XhrEntry(3, "c", "{\"a\":1}", 5)));
    }
}
