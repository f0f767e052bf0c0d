/**
 * The one YAML file: read with Jackson into immutable records, {@code ${ENV}} and {@code ${ENV:-default}}
 * substituted in scalar values, and validated before any I/O. Every problem becomes a
 * {@link org.sigbridge.config.ConfigException} naming file, line, key path, the problem and a fix.
 */
package org.sigbridge.config;
