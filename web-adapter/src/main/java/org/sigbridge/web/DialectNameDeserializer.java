package org.sigbridge.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Optional;

/**
 * Binds one entry of the {@code dialects} key and refuses a name no installed dialect has, so that the config error
 * names the entry's own file line ({@code adapters.<name>.dialects[i]}) rather than the section's. Stateless.
 */
final class DialectNameDeserializer extends StdScalarDeserializer<String> {

    DialectNameDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String name = p.getValueAsString();
        Optional<String> problem = InstalledDialects.problem(name);
        if (problem.isPresent()) {
            throw ValueInstantiationException.from(p, problem.get(), ctxt.constructType(String.class),
                    new IllegalArgumentException(problem.get()));
        }
        return name;
    }
}
