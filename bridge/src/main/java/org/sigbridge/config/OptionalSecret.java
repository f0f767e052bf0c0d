package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * The one rule for a secret that may be left out: an empty value, which {@code ${NAME:-}} gives when the
 * variable is unset, binds as "not set" ({@code null}) instead of failing, so one file serves with and
 * without the credential. Put it on such a key with
 * {@code @JsonDeserialize(using = OptionalSecret.class) Secret password}; the record then decides whether
 * "not set" is allowed. A secret without it refuses an empty value ({@link Secret#of}), which is right
 * where an unset value would quietly change who is let in.
 */
public final class OptionalSecret extends StdScalarDeserializer<Secret> {

    public OptionalSecret() {
        super(Secret.class);
    }

    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String text = p.getValueAsString();
        if (text == null || text.isEmpty()) {
            return null;
        }
        return Secret.of(text);
    }

    @Override
    public Secret getNullValue(DeserializationContext ctxt) {
        return null;
    }
}
