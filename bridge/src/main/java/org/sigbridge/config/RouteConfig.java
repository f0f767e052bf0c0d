package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Map;

/**
 * One entry under {@code routes:}, as written. Compiled into a {@link org.sigbridge.routing.RouteRule}
 * by {@link RoutesCompiler}, which reports problems at {@link #line()}.
 *
 * @param match   a glob over channel names ({@code *}, {@code conf-*}); exclusive with {@code regex}
 * @param regex   a Java regex over whole channel names; named groups feed the target template
 * @param to      {@code local}, {@code deny} or the name of a back-end adapter
 * @param target  the target template for an adapter, e.g. {@code {channel}@conference.example.org}
 * @param options adapter-specific options (e.g. {@code body: omit} for XMPP, {@code content: text} for SIP)
 * @param line    the line the entry starts on
 */
@JsonDeserialize(using = RouteConfig.Deserializer.class)
public record RouteConfig(String match, String regex, String to, String target, Map<String, String> options, int line) {

    public RouteConfig {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The keys as written; the outer record adds the line. */
    public record Fields(String match, String regex, String to, String target, Map<String, String> options) {
    }

    /** Remembers where each route starts so cross-checks can name the line. */
    static final class Deserializer extends StdDeserializer<RouteConfig> {

        Deserializer() {
            super(RouteConfig.class);
        }

        @Override
        public RouteConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            int line = p.currentTokenLocation().getLineNr();
            Fields f = ctxt.readValue(p, Fields.class);
            return new RouteConfig(f.match(), f.regex(), f.to(), f.target(), f.options(), line);
        }
    }
}
