package org.sigbridge.web.classic.xhr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Fields;

/**
 * Reads the fields of a form body: {@code multipart/form-data} (what a page's {@code FormData} sends, RFC 7578) with
 * Jetty's {@link MultiPartFormData}, anything else as {@code application/x-www-form-urlencoded} with Jetty's
 * {@link FormFields}. Text fields only, decoded as UTF-8. The body is already whole and bounded by
 * {@code max-frame-bytes}, so neither parser waits for content. Pure and thread-safe.
 */
public final class XhrForm {

    /** More fields than a page's form ever has; a body with more is unreadable. */
    private static final int MAX_FIELDS = 64;

    private XhrForm() {
    }

    /**
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @param body        the whole body
     * @return the fields in order; the last of a repeated name wins. Unreadable bodies give no fields (the caller
     *         answers the missing field).
     */
    public static Map<String, String> parse(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        try {
            if (type.startsWith("multipart/form-data")) {
                String boundary = MultiPart.extractBoundary(contentType);
                return boundary == null ? Map.of() : multipart(boundary, body);
            }
            return urlEncoded(body);
        } catch (IllegalArgumentException | IllegalStateException | ExecutionException e) {
            return Map.of(); // malformed: %-escapes, boundaries or part headers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not reached: the content is all there
            return Map.of();
        }
    }

    private static Map<String, String> urlEncoded(byte[] body) {
        Fields fields = FormFields.getFields(new ByteBufferContentSource(ByteBuffer.wrap(body)), new Attributes.Mapped(),
                StandardCharsets.UTF_8, MAX_FIELDS, body.length + 1);
        Map<String, String> result = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            result.put(field.getName(), field.getValues().get(field.getValues().size() - 1));
        }
        return result;
    }

    private static Map<String, String> multipart(String boundary, byte[] body) throws ExecutionException, InterruptedException {
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(MAX_FIELDS);
        parser.setMaxLength(body.length + 1L);
        parser.setMaxMemoryFileSize(body.length + 1L); // every part stays in memory: the body is already bounded
        parser.setUseFilesForPartsWithoutFileName(false);
        Map<String, String> result = new LinkedHashMap<>();
        try (MultiPartFormData.Parts parts = parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body))).get()) {
            for (MultiPart.Part part : parts) {
                if (part.getName() != null) {
                    result.put(part.getName(), part.getContentAsString(StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }
}
