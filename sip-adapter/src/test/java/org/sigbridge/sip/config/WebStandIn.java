package org.sigbridge.sip.config;

import java.util.List;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;
import org.sigbridge.spi.AdapterContext;

/**
 * Binds the {@code web} section of conf/examples/sip.yml with the key names the web adapter uses (host,
 * port, demo), so this module can check the example without depending on the web module. Config only:
 * it creates nothing that runs.
 */
public final class WebStandIn implements AdapterFactory {

    /** The web section's keys. */
    public record Settings(String host, Integer port, Boolean demo) implements AdapterSettings {
    }

    @Override
    public String type() {
        return "web";
    }

    @Override
    public Class<? extends AdapterSettings> settingsType() {
        return Settings.class;
    }

    @Override
    public Adapter create(String name, AdapterSettings settings) {
        return new Adapter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start(AdapterContext context) {
                throw new UnsupportedOperationException("config-only stand-in");
            }

            @Override
            public void close() {
            }
        };
    }

    public static List<AdapterFactory> with(List<AdapterFactory> installed) {
        List<AdapterFactory> all = new java.util.ArrayList<>(installed);
        all.add(new WebStandIn());
        return all;
    }
}
