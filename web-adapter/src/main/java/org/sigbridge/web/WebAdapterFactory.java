package org.sigbridge.web;

import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;

/** Creates {@link WebAdapter}s for config sections with {@code type: web}. Stateless. */
public final class WebAdapterFactory implements AdapterFactory {

    @Override
    public String type() {
        return "web";
    }

    @Override
    public Class<? extends AdapterSettings> settingsType() {
        return WebSettings.class;
    }

    @Override
    public Adapter create(String name, AdapterSettings settings) {
        return new WebAdapter(name, (WebSettings) settings);
    }
}
