package support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SMTP server on a free port of 127.0.0.1 that requires AUTH with {@value #USERNAME} and a random password
 * and records every message it accepts: {@code src/test/resources/smtp/test_smtp_server.py}, Debian's
 * {@code python3-aiosmtpd} run as a subprocess. {@link Security#STARTTLS} follows RFC 3207 (no MAIL and no AUTH
 * before STARTTLS), {@link Security#TLS} is implicit TLS (RFC 8314), {@link Security#NONE} offers no STARTTLS
 * at all; AUTH is RFC 4954 (PLAIN, LOGIN).
 *
 * <p>GreenMail (the embedded stand-in) cannot serve here: its SMTP server has no STARTTLS command.
 *
 * <p>Skips the calling test (JUnit assumption) when no python3 on PATH (or /usr/bin/python3) imports aiosmtpd.
 */
public final class TlsSmtpServer implements AutoCloseable {

    /** The user the server accepts. */
    public static final String USERNAME = "enrollment";

    /** How the server protects the connection; the names are those of the service's SMTP_SECURITY. */
    public enum Security {
        /** Plain SMTP, STARTTLS not offered; AUTH in the clear. */
        NONE,
        /** STARTTLS offered and required before MAIL and AUTH (answer 530). */
        STARTTLS,
        /** TLS from the first byte. */
        TLS
    }

    /**
     * One message as the server accepted it.
     *
     * @param from the envelope sender (MAIL FROM)
     * @param to the envelope recipients (RCPT TO)
     * @param login the user that authenticated
     * @param tls whether the connection was encrypted when the message came
     * @param subject the decoded Subject header
     * @param body the text of the message (of its first text part when multipart), without trailing white space
     *        (SMTP ends the DATA with a line break the sender did not write)
     * @param raw the DATA as received, headers and all
     */
    public record Message(String from, List<String> to, String login, boolean tls, String subject, String body,
            String raw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Optional<String> python;

    private final ServerProcess process;
    private final int port;
    private final String password;
    private final Path spool;

    private TlsSmtpServer(ServerProcess process, int port, String password, Path spool) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.spool = spool;
    }

    /** Starts one with {@link TestCertificates#server()} (for NONE no certificate is used at all). */
    public static TlsSmtpServer start(Security security) throws IOException, InterruptedException {
        return start(security, TestCertificates.server());
    }

    /**
     * Starts one presenting {@code identity} and waits until it accepts connections.
     *
     * @return the running server; close it to stop it
     * @throws IllegalStateException when it exits or is not ready within 20 s (with the end of its log)
     */
    public static TlsSmtpServer start(Security security, TestCertificates.ServerIdentity identity)
            throws IOException, InterruptedException {
        String interpreter = python();
        int port = TestService.freePort();
        String password = TlsRedisServer.randomPassword();
        Path dir = Files.createTempDirectory("tls-smtp");
        Path spool = Files.createDirectory(dir.resolve("spool"));
        Path script = dir.resolve("test_smtp_server.py");
        try (InputStream in = TlsSmtpServer.class.getResourceAsStream("/smtp/test_smtp_server.py")) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(interpreter, script.toString(),
                "--security", security.name().toLowerCase(Locale.ROOT), "--port", Integer.toString(port),
                "--spool", spool.toString()));
        if (security != Security.NONE) {
            command.addAll(List.of("--cert", identity.certificate().toString(),
                    "--key", identity.privateKey().toString()));
        }
        ServerProcess process = ServerProcess.start("smtp-server", command,
                Map.of("SMTP_TEST_USERNAME", USERNAME, "SMTP_TEST_PASSWORD", password), dir,
                TlsSmtpServer::printedReady, Duration.ofSeconds(20));
        return new TlsSmtpServer(process, port, password, spool);
    }

    /** The host name to connect to: {@code localhost}, which the server certificate names. */
    public String host() {
        return "localhost";
    }

    public int port() {
        return port;
    }

    /** The password of {@value #USERNAME}. */
    public String password() {
        return password;
    }

    /**
     * The messages accepted so far, oldest first.
     *
     * @throws UncheckedIOException when the spool cannot be read
     * @throws IllegalStateException when a spooled message cannot be parsed
     */
    public List<Message> messages() {
        try (Stream<Path> files = Files.list(spool)) {
            List<Message> messages = new ArrayList<>();
            for (Path envelope : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                messages.add(read(envelope));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server by its PID and deletes its files. */
    @Override
    public void close() {
        process.close();
    }

    private static Message read(Path envelopeFile) throws IOException {
        JsonNode envelope = JSON.readTree(envelopeFile.toFile());
        String name = envelopeFile.getFileName().toString();
        byte[] raw = Files.readAllBytes(envelopeFile.resolveSibling(name.replace(".json", ".eml")));
        List<String> to = new ArrayList<>();
        envelope.get("to").forEach(node -> to.add(node.asText()));
        try {
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            return new Message(envelope.get("from").asText(), List.copyOf(to),
                    envelope.get("login").isNull() ? null : envelope.get("login").asText(),
                    envelope.get("tls").asBoolean(), mime.getSubject(), text(mime.getContent()).stripTrailing(),
                    new String(raw, StandardCharsets.UTF_8));
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot parse " + name, e);
        }
    }

    private static String text(Object content) throws MessagingException, IOException {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/*")) {
                    return (String) part.getContent();
                }
            }
            return "";
        }
        return content instanceof String string ? string : "";
    }

    /** The script prints "ready" once aiosmtpd's Controller has started and answered a first connection. */
    private static boolean printedReady(Path log) {
        try {
            return Files.exists(log) && Files.readString(log).lines().anyMatch("ready"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    /** A python3 that imports aiosmtpd: PATH's may be a pyenv or venv one without Debian's packages. */
    private static synchronized String python() throws IOException, InterruptedException {
        if (python == null) {
            List<String> candidates = new ArrayList<>();
            ServerProcess.onPath("python3").ifPresent(p -> candidates.add(p.toString()));
            candidates.add("/usr/bin/python3");
            python = Optional.empty();
            for (String candidate : candidates) {
                if (Files.isExecutable(Path.of(candidate)) && ServerProcess.run(List.of(candidate, "-c",
                        "import aiosmtpd"), Map.of(), Duration.ofSeconds(20), null) == 0) {
                    python = Optional.of(candidate);
                    break;
                }
            }
        }
        Assumptions.assumeTrue(python.isPresent(), "no python3 with aiosmtpd (Debian: python3-aiosmtpd): skipping"
                + " the TLS SMTP tests; .ci/run installs it");
        return python.get();
    }
}
