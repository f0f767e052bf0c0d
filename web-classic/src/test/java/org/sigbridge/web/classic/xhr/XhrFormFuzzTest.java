package org.sigbridge.web.classic.xhr;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.testing.fuzz.Bounded;
import org.sigbridge.testing.fuzz.FuzzRun;
import org.sigbridge.testing.fuzz.FuzzText;

/**
 * Fuzzes the XHR form reader with multipart and url-encoded bodies (well-formed, mutated, arbitrary bytes) under
 * matching, mismatched and broken Content-Types: every body gives its fields or none (the caller then answers the
 * missing field, docs/dialects.md), never an exception, at most 64 fields, within {@link Bounded#PER_INPUT}; both outcomes occur.
 */
class XhrFormFuzzTest {

    private static final List<String> NAMES = List.of("message", "channel", "sender", "userid", "id");

    @Test
    void everyBodyGivesItsFieldsOrNone() {
        FuzzRun.Tally tally = FuzzRun.run("XhrFormFuzzTest", 10_000, XhrFormFuzzTest::oneBody);
        assertTrue(tally.count("fields") > 0, tally.toString());
        assertTrue(tally.count("no fields") > 0, tally.toString());
    }

    private static String oneBody(long seed) {
        FuzzText g = new FuzzText(seed);
        String contentType;
        byte[] body;
        switch (g.below(3)) {
            case 0 -> {
                String boundary = g.below(2) == 0 ? g.pick("b", "----WebKitFormBoundaryX", "x\"y", "") : g.anyString(12);
                contentType = g.pick("multipart/form-data; boundary=", "MULTIPART/FORM-DATA; boundary=\"", "multipart/form-data;boundary=")
                        + boundary + (g.below(2) == 0 ? "\"" : "");
                body = g.mutate(multipart(g, boundary)).getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> {
                contentType = g.pick("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8");
                body = g.mutate(urlEncoded(g)).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                contentType = g.below(2) == 0 ? g.pick("multipart/form-data", "text/plain", "application/json", "") : g.anyString(30);
                body = g.below(2) == 0 ? g.bytes(200) : g.mutate(multipart(g, "b")).getBytes(StandardCharsets.UTF_8);
            }
        }
        String shown = "Content-Type: " + contentType + "\n" + new String(body, StandardCharsets.ISO_8859_1);
        Map<String, String> fields = Bounded.call(shown, () -> XhrForm.parse(contentType, body));
        assertNotNull(fields, shown);
        assertTrue(fields.size() <= 64, shown);
        return fields.isEmpty() ? "no fields" : "fields";
    }

    private static String multipart(FuzzText g, String boundary) {
        StringBuilder sb = new StringBuilder();
        for (int n = g.below(5); n > 0; n--) {
            String name = g.below(4) == 0 ? g.anyString(8) : g.pick(NAMES);
            sb.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(name).append('"')
                    .append(g.pick("", "; filename=\"f.txt\"", "; name=\"again\""))
                    .append("\r\n")
                    .append(g.pick("", "Content-Type: text/plain\r\n", "Content-Transfer-Encoding: base64\r\n"))
                    .append("\r\n").append(value(g)).append("\r\n");
        }
        return sb.append("--").append(boundary).append("--\r\n").toString();
    }

    private static String urlEncoded(FuzzText g) {
        StringBuilder sb = new StringBuilder();
        for (int n = g.below(6); n > 0; n--) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(g.below(4) == 0 ? g.anyString(8) : g.pick(NAMES)).append('=').append(value(g))
                    .append(g.pick("", "%", "%zz", "%C3%BC", "+", "=", "%F0%9F"));
        }
        return sb.toString();
    }

    private static String value(FuzzText g) {
        return g.below(2) == 0 ? g.jsonObject(List.of("sdp", "type", "candidate"), 2) : g.anyString(40);
    }
}
