/**
 * TLS for the web port: a Jetty {@code SslContextFactory.Server} built from PEM files (certificate chain and
 * PKCS#8 key, as Let's Encrypt and openssl write them) or from a PKCS12/JKS key store.
 */
package org.sigbridge.web.tls;
