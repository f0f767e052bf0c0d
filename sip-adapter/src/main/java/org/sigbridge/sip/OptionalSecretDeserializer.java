package org.sigbridge.sip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import org.sigbridge.config.Secret;

/**
 * Binds an optional secret: an empty value (what {@code ${SIP_PASSWORD:-}} gives when the variable is
 * unset) means "not set" instead of failing, so one example file serves with and without credentials.
 */
final class OptionalSecretDeserializer extends StdScalarDeserializer<Secret> {

    OptionalSecretDeserializer() {
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
