package org.sigbridge.spi;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Marker for an adapter's settings record, bound from its section under {@code adapters:} in the YAML
 * file. The section's {@code type} key picks the record, registered by {@link AdapterFactory#type()}.
 *
 * <p>Implementations are records validated in their compact constructors (throw
 * {@link IllegalArgumentException} with a message naming the fix); the config loader reports the
 * message with the file, line and key path.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public interface AdapterSettings {
}
