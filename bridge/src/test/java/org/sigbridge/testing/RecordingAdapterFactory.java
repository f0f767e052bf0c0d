package org.sigbridge.testing;

import java.util.List;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;

/** Factory for {@code type: recording} adapters; registered for {@link java.util.ServiceLoader}. */
public final class RecordingAdapterFactory implements AdapterFactory {

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public Class<? extends AdapterSettings> settingsType() {
        return RecordingSettings.class;
    }

    @Override
    public List<String> validateRoute(AdapterSettings settings, RouteTarget.Leg route) {
        return route.options().keySet().stream()
                .filter(k -> !k.equals("note"))
                .map(k -> "unknown option '" + k + "' for a recording route (known: note)")
                .toList();
    }

    @Override
    public Adapter create(String name, AdapterSettings settings) {
        return new RecordingBackend(name, (RecordingSettings) settings);
    }
}
