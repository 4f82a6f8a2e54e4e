package embedded;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMTP server (GreenMail) inside this JVM on 127.0.0.1 that accepts every message, keeps it in memory and logs
 * one line per recipient (recipient, subject). Given a directory, it also writes each message there as an
 * {@code .eml} file (RFC 5322, as received), which any mail client opens, named by the time it arrived and its
 * recipient, e.g. {@code 20261202T223412.123Z-1-ada@example.edu.eml}.
 */
public final class EmbeddedSmtp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSmtp.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final GreenMail greenMail;

    private EmbeddedSmtp(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    /**
     * Starts the server on a loopback port the system picks.
     *
     * @param mailDirectory where each accepted message is written as an {@code .eml} file (made when missing), or
     *        null to keep messages in memory only
     * @throws IOException when the directory cannot be made
     */
    public static EmbeddedSmtp start(Path mailDirectory) throws IOException {
        ServerSetup setup = new ServerSetup(0, Loopback.HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort();
        // GreenMail gives up after 2 s by default: tight while the other stand-ins load their classes beside it.
        setup.setServerStartupTimeout(10_000);
        GreenMail greenMail = new GreenMail(setup);
        if (mailDirectory != null) {
            Files.createDirectories(mailDirectory);
        }
        greenMail.start();
        // before anyone knows the port, so no mail arrives before it
        UserManager users = greenMail.getUserManager();
        users.setMessageDeliveryHandler(keepingACopy(users.getMessageDeliveryHandler(), mailDirectory));
        EmbeddedSmtp smtp = new EmbeddedSmtp(greenMail);
        LOG.info("Embedded SMTP server (GreenMail, {}) listening on {}:{}", mailDirectory == null ? "in memory"
                : "each mail also written to " + mailDirectory.toAbsolutePath(), smtp.host(), smtp.port());
        return smtp;
    }

    /**
     * GreenMail's own delivery (to the recipient's in-memory mailbox), then the log line and, with a directory, the
     * file. Runs once per recipient of a message. A file that cannot be written is logged, and the mail is still
     * accepted: the copy is for people to look at, the mailbox is what GreenMail serves.
     */
    private static MessageDeliveryHandler keepingACopy(MessageDeliveryHandler delivery, Path mailDirectory) {
        AtomicLong received = new AtomicLong();
        return (message, recipient) -> {
            var user = delivery.handle(message, recipient);
            MimeMessage mail = message.getMessage();
            long number = received.incrementAndGet();
            String file = null;
            if (mailDirectory != null) {
                Path eml = mailDirectory.resolve(FILE_TIME.format(Instant.now()) + "-" + number + "-"
                        + recipient.getEmail().replaceAll("[^A-Za-z0-9@._+-]", "_") + ".eml");
                try (OutputStream out = Files.newOutputStream(eml, StandardOpenOption.CREATE_NEW)) {
                    mail.writeTo(out);
                    file = eml.toString();
                } catch (IOException | MessagingException e) {
                    LOG.warn("mail to {} accepted but not written to {}: {}", recipient.getEmail(), eml, e.toString());
                }
            }
            LOG.info("mail to {}, subject \"{}\"{}", recipient.getEmail(), mail.getSubject(),
                    file == null ? "" : ", in " + file);
            return user;
        };
    }

    public String host() {
        return Loopback.HOST;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    /** The server itself, so a test can read what it received. */
    public GreenMail greenMail() {
        return greenMail;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
