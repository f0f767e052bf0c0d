/**
 * The adapter SPI. An {@link org.sigbridge.spi.AdapterFactory} is found with {@link java.util.ServiceLoader}
 * and named by type in config; it binds its settings record and creates {@link org.sigbridge.spi.Adapter}s.
 * Adapters reach the hub only through {@link org.sigbridge.spi.AdapterContext}; protocol types never cross it.
 */
package org.sigbridge.spi;
