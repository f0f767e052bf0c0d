package org.sigbridge.xmpp.session;

import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jivesoftware.smack.SmackException;

/**
 * Why one connection attempt failed, as one line an operator can act on. A refused server certificate is named
 * (server, subject, issuer, fingerprint) with the settings that fix it; anything else keeps the exception's own
 * one-line message. Pure; used by {@link ClientSession} on its request thread.
 *
 * @param line        the operator line, e.g. for the leg state and {@code /readyz}
 * @param certificate whether the server's certificate was refused (no retry can succeed until trust or the
 *                    server's certificate changes)
 */
public record LoginFailure(String line, boolean certificate) {

    /**
     * @param e        what the connect or login threw
     * @param witness  the attempt's trust manager, which saw the server's certificate (if the handshake got that far)
     * @param configs  for the server's address and whether trust is configured
     * @param identity who tried to log in
     */
    public static LoginFailure of(Throwable e, CertificateWitness witness, ConnectionConfigs configs, Identity identity) {
        Optional<CertificateWitness.Presented> seen = witness.presented();
        if (seen.isPresent() && seen.get().refusal() != null) {
            return new LoginFailure("cannot log in as " + identity + ": the XMPP server " + configs.describeServer()
                    + " presented a certificate this bridge does not trust (" + seen.get().describe() + "; "
                    + seen.get().refusal() + "). Fix: " + trustFix(configs), true);
        }
        Optional<java.security.cert.CertificateException> nameCheck = cause(e, java.security.cert.CertificateException.class)
                .filter(c -> c.getMessage() != null && c.getMessage().startsWith("Hostname verification"));
        if (seen.isPresent() && nameCheck.isPresent()) {
            // Smack's name check after a trusted handshake (XmppHostnameVerifier, RFC 6125 / RFC 6120 §13.7.2.1)
            List<String> names = seen.get().names();
            return new LoginFailure("cannot log in as " + identity + ": the XMPP server " + configs.describeServer()
                    + " presented a certificate that does not name the XMPP domain " + identity.domain() + " (it names "
                    + (names.isEmpty() ? "no DNS name" : String.join(", ", names)) + "; " + seen.get().describe()
                    + "). Fix: set domain to the XMPP domain the server serves, or give the server a certificate for "
                    + identity.domain() + " (Prosody: prosodyctl cert generate " + identity.domain() + ")", true);
        }
        if (cause(e, SSLHandshakeException.class).isPresent()) {
            return new LoginFailure("cannot log in as " + identity + ": the TLS handshake with " + configs.describeServer()
                    + " failed (" + CertificateWitness.innermost(cause(e, SSLHandshakeException.class).get()) + ")"
                    + directTlsHint(configs), false);
        }
        Optional<SSLException> tls = cause(e, SSLException.class);
        if (tls.isPresent() && configs.directTls()) {
            return new LoginFailure("cannot log in as " + identity + ": no TLS from " + configs.describeServer() + " ("
                    + CertificateWitness.innermost(tls.get()) + ")" + directTlsHint(configs), false);
        }
        return new LoginFailure("cannot log in as " + identity + ": " + ClientSession.oneLine(e), false);
    }

    private static String trustFix(ConnectionConfigs configs) {
        String trust = configs.trustConfigured()
                ? "add the server's certificate (or the CA that issued it) to the file named by trust-certificates or trust-store"
                : "set trust-certificates to a PEM file holding the server's certificate (or the CA that issued it),"
                + " or trust-store to a key store holding it";
        return trust + "; on a lab server that allows plain connections only, tls: disabled"
                + " (tls: optional still checks the certificate whenever the server offers STARTTLS)";
    }

    private static String directTlsHint(ConnectionConfigs configs) {
        return configs.directTls() ? ". tls: direct speaks TLS from the first byte (XEP-0368): is that port the server's"
                + " direct-TLS port (Prosody c2s_direct_tls_ports, usually 5223)? For a STARTTLS port (5222) set tls: required" : "";
    }

    /**
     * The first {@code type} among {@code e}'s causes, and among those of the socket failures Smack collects in an
     * {@link SmackException.EndpointConnectionException} (which has no cause of its own): a direct-TLS handshake fails
     * inside Smack's connect ({@link DirectTlsSocketFactory}).
     */
    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            if (t instanceof SmackException.EndpointConnectionException endpoints) {
                for (var failed : endpoints.getConnectionExceptions()) {
                    Optional<T> found = cause(failed.getException(), type);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }
}
