package support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test PKI: a CA the tests trust, server certificates it signed, and a second CA nobody trusts. Made once
 * per JVM with openssl by {@code src/test/resources/tls/make-test-certs.sh} (the script .ci/run uses too) into
 * a temporary directory deleted at exit; when {@code TEST_TLS_DIR} is set (by .ci/run, which made them before
 * RabbitMQ started) the files there are used instead.
 *
 * <p>Every method skips the calling test (JUnit assumption) when the certificates would have to be made and
 * bash or openssl is missing.
 */
public final class TestCertificates {

    /**
     * A TLS server's certificate and unencrypted PKCS#8 PEM key, and the PEM of the CA that signed it (what a
     * client has to trust to accept it).
     */
    public record ServerIdentity(Path certificate, Path privateKey, Path issuer) {
    }

    private static final List<String> FILES = List.of("ca.pem", "server.pem", "server-key.pem", "wrong-host.pem",
            "wrong-host-key.pem", "untrusted-ca.pem", "untrusted-server.pem", "untrusted-server-key.pem");

    private static Path directory;

    private TestCertificates() {
    }

    /**
     * The directory holding the PEM files (world-readable, so servers running as other users can load them).
     *
     * @throws IllegalStateException when {@code TEST_TLS_DIR} lacks a file, or openssl fails
     */
    public static synchronized Path directory() {
        if (directory == null) {
            String given = System.getenv("TEST_TLS_DIR");
            directory = given != null && !given.isBlank() ? checked(Path.of(given)) : make();
        }
        return directory;
    }

    /** The test CA's certificate, PEM: the file to give as {@code TLS_CA_FILE}. */
    public static Path caFile() {
        return directory().resolve("ca.pem");
    }

    /** The second CA's certificate, PEM; nothing the tests configure trusts it. */
    public static Path untrustedCaFile() {
        return directory().resolve("untrusted-ca.pem");
    }

    /** Signed by the test CA for DNS {@code localhost} and IP {@code 127.0.0.1}: the certificate servers use. */
    public static ServerIdentity server() {
        return identity("server", "ca.pem");
    }

    /** Signed by the test CA, but only for {@code wrong-host.invalid}: fails host name verification. */
    public static ServerIdentity wrongHost() {
        return identity("wrong-host", "ca.pem");
    }

    /** Signed by the untrusted CA, for {@code localhost} and {@code 127.0.0.1}: fails chain validation. */
    public static ServerIdentity untrusted() {
        return identity("untrusted-server", "untrusted-ca.pem");
    }

    /** A client TLS context that trusts the test CA and nothing else. */
    public static SSLContext sslContext() {
        return sslContextTrusting(caFile());
    }

    /**
     * A client TLS context trusting exactly the certificates in a PEM file (the JDK's own CAs are not included).
     *
     * @throws IllegalStateException when the file cannot be read or holds no certificate
     */
    public static SSLContext sslContextTrusting(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalStateException(pemFile + " holds no certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load trusted certificates from " + pemFile, e);
        }
    }

    private static ServerIdentity identity(String name, String issuer) {
        Path dir = directory();
        return new ServerIdentity(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"), dir.resolve(issuer));
    }

    private static Path checked(Path dir) {
        for (String file : FILES) {
            if (!Files.isReadable(dir.resolve(file))) {
                throw new IllegalStateException(dir + " has no readable " + file
                        + " (TEST_TLS_DIR must hold what src/test/resources/tls/make-test-certs.sh makes)");
            }
        }
        return dir;
    }

    private static Path make() {
        Path bash = ServerProcess.requireOnPath("bash", "making test certificates");
        ServerProcess.requireOnPath("openssl", "making test certificates");
        try {
            Path dir = Files.createTempDirectory("test-tls");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ServerProcess.deleteTree(dir), "delete-test-tls"));
            // The script runs from a copy: the test classpath may be a jar.
            Path script = dir.resolve("make-test-certs.sh");
            try (InputStream in = TestCertificates.class.getResourceAsStream("/tls/make-test-certs.sh")) {
                Files.copy(in, script);
            }
            Path certs = Files.createDirectory(dir.resolve("certs"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            // createTempDirectory makes it owner-only; servers running as other users must reach certs/.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            StringBuilder output = new StringBuilder();
            int status = ServerProcess.run(List.of(bash.toString(), script.toString(), certs.toString()), Map.of(),
                    Duration.ofSeconds(60), output);
            if (status != 0) {
                throw new IllegalStateException("make-test-certs.sh failed (" + status + "): " + output);
            }
            return checked(certs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making test certificates", e);
        }
    }
}
