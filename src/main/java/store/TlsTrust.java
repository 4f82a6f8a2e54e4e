package store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities every store connection trusts: the JVM's defaults plus the CAs of
 * {@code TLS_CA_FILE} (docs/operations.md "Configuration"). One trust manager for Redis, RabbitMQ, SMTP and DynamoDB, so a
 * private CA is configured once; host names are verified by each client (RFC 6125 / RFC 2818 rules of JSSE's
 * "HTTPS" endpoint identification).
 */
public final class TlsTrust {

    private final X509TrustManager trustManager;
    private final SSLContext context;

    private TlsTrust(X509TrustManager trustManager) {
        this.trustManager = trustManager;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JVM", e);
        }
    }

    /**
     * The JVM's default trust, plus the certificates of a PEM file when one is given.
     *
     * @param caFile a PEM file of one or more CA certificates, or null for the JVM's defaults only
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static TlsTrust of(Path caFile) {
        try {
            X509TrustManager defaults = trustManager(null);
            if (caFile == null) {
                return new TlsTrust(defaults);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaults.getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + n++, ca);
            }
            Collection<? extends Certificate> added;
            try (InputStream in = Files.newInputStream(caFile)) {
                added = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (added.isEmpty()) {
                throw new IllegalArgumentException("TLS_CA_FILE " + caFile + " holds no PEM certificate");
            }
            for (Certificate ca : added) {
                store.setCertificateEntry("tls-ca-file-" + n++, ca);
            }
            return new TlsTrust(trustManager(store));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS_CA_FILE " + caFile + " cannot be read as PEM certificates: "
                    + e.getMessage(), e);
        }
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** A TLS context with this trust and no client certificate. */
    public SSLContext sslContext() {
        return context;
    }

    /** Parameters that make the handshake check the server's name against its certificate (RFC 2818). */
    public static SSLParameters verifyingHostName() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JVM offers no X.509 trust manager");
    }
}
