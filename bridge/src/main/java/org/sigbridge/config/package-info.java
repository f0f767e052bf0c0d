/**
 * The one YAML file: read with Jackson into immutable records, {@code ${ENV}} and {@code ${ENV:-default}}
 * substituted in scalar values, and validated before any I/O. Every problem becomes a
 * {@link org.sigbridge.config.ConfigException} naming file, line, key path, the problem and a fix; an old key
 * spelling that is still read becomes one warning line of the same form.
 *
 * <p>Shapes and rules every adapter section shares: {@link org.sigbridge.config.KeyStoreSettings} and
 * {@link org.sigbridge.config.TrustSettings} for TLS, {@link org.sigbridge.config.OptionalSecret} for a secret
 * that may be left out, and {@link org.sigbridge.config.Check} for defaults and ranges in one wording.
 */
package org.sigbridge.config;
