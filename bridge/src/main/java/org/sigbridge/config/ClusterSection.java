package org.sigbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.sigbridge.spi.cluster.ClusterFactory;
import org.sigbridge.spi.cluster.ClusterSettings;

/**
 * How the {@code cluster:} section binds: to the settings record of the installed {@link ClusterFactory}, or, when no
 * cluster module is on the class path, to a refusal that names the module (so the file fails to load with
 * {@code file:line} instead of starting a bridge that silently does not share its channels).
 */
final class ClusterSection {

    private ClusterSection() {
    }

    /** The one installed cluster factory, if any. */
    static Optional<ClusterFactory> installed() {
        List<ClusterFactory> found = new ArrayList<>();
        ServiceLoader.load(ClusterFactory.class).forEach(found::add);
        if (found.size() > 1) {
            throw new IllegalStateException("more than one cluster module on the class path: " + found.stream()
                    .map(f -> f.getClass().getName()).toList() + "; keep one");
        }
        return found.stream().findFirst();
    }

    /** A Jackson module binding {@link ClusterSettings} as described above. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("sigbridge-cluster-section");
        Optional<ClusterFactory> factory = installed();
        if (factory.isPresent()) {
            bind(module, factory.get().settingsType());
        } else {
            module.addDeserializer(ClusterSettings.class, new Missing());
        }
        return module;
    }

    private static <T extends ClusterSettings> void bind(SimpleModule module, Class<T> type) {
        module.addAbstractTypeMapping(ClusterSettings.class, type);
    }

    /** Refuses the section when no cluster module is installed. */
    private static final class Missing extends JsonDeserializer<ClusterSettings> {
        @Override
        public ClusterSettings deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            p.skipChildren();
            return ctxt.reportInputMismatch(ClusterSettings.class,
                    "the cluster section needs the cluster module (sigbridge-cluster) on the class path; "
                            + "add it (sigbridge.jar has it), or remove the section");
        }
    }
}
