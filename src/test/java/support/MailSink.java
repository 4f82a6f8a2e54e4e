package support;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import embedded.EmbeddedSmtp;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * A real SMTP server (GreenMail, on 127.0.0.1) that keeps every message, and notes when each copy of a
 * {@code Message-ID} arrived (read every 100 ms), so a test can count how often each email was delivered and
 * tell a copy sent again after a success from one sent again after a crash; and the tests' one way to wait for
 * the emails an address received, on this sink or on any GreenMail server (by default the shared stores' one).
 */
public final class MailSink implements AutoCloseable {

    private final EmbeddedSmtp smtp;
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;
    /** How many messages of each mailbox were noted already. */
    private final Map<String, Integer> seen = new java.util.HashMap<>();

    private MailSink(EmbeddedSmtp smtp) {
        this.smtp = smtp;
        this.reader = new Thread(this::readNewMessages, "mail-sink");
        reader.setDaemon(true);
    }

    public static MailSink start() throws java.io.IOException {
        MailSink sink = new MailSink(EmbeddedSmtp.start(null));
        sink.reader.start();
        return sink;
    }

    public String host() {
        return smtp.host();
    }

    public int port() {
        return smtp.port();
    }

    // Mailbox by mailbox: each inbox keeps its messages in arrival order, while GreenMail's getReceivedMessages()
    // lists all mailboxes in no particular order, so an index into it would count some messages twice and miss others.
    private void readNewMessages() {
        ImapHostManager mailboxes = smtp.greenMail().getManagers().getImapHostManager();
        while (running) {
            long now = System.currentTimeMillis();
            for (GreenMailUser user : smtp.greenMail().getUserManager().listUser()) {
                try {
                    List<StoredMessage> inbox = mailboxes.getInbox(user).getMessages();
                    int noted = seen.getOrDefault(user.getEmail(), 0);
                    for (StoredMessage message : inbox.subList(noted, inbox.size())) {
                        note(message.getMimeMessage(), now);
                    }
                    seen.put(user.getEmail(), inbox.size());
                } catch (FolderException noInboxYet) {
                    // the user was created and its inbox is not there yet: read it on the next round
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void note(MimeMessage message, long now) {
        String messageId;
        try {
            messageId = message.getMessageID();
        } catch (jakarta.mail.MessagingException unreadable) {
            messageId = "(unreadable)";
        }
        arrivals.computeIfAbsent(messageId, id -> new CopyOnWriteArrayList<>()).add(now);
    }

    /** When each copy of the email with this {@code Message-ID} arrived (epoch ms, to 100 ms), oldest first. */
    public List<Long> arrivals(String messageId) {
        return new ArrayList<>(arrivals.getOrDefault(messageId, List.of()));
    }

    /**
     * Waits (20 s at most) until the shared stores' SMTP server holds {@code count} emails to the address, then
     * checks that it holds exactly that many.
     *
     * @param to the recipient
     * @param count how many emails it should have received
     * @return those emails, in the server's order
     * @throws org.awaitility.core.ConditionTimeoutException when fewer arrived in time
     * @throws AssertionError when more arrived
     */
    public static List<MimeMessage> awaitMail(String to, int count) {
        return awaitMail(TestStores.shared().smtp().greenMail(), to, count);
    }

    /**
     * As {@link #awaitMail(String, int)}, on the given server.
     *
     * @param server the SMTP server the service sends to
     * @param to the recipient
     * @param count how many emails it should have received
     * @return those emails, in the server's order
     * @throws org.awaitility.core.ConditionTimeoutException when fewer arrived in time
     * @throws AssertionError when more arrived
     */
    public static List<MimeMessage> awaitMail(GreenMail server, String to, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(mailTo(server, to)).as("emails to %s", to)
                        .hasSizeGreaterThanOrEqualTo(count));
        List<MimeMessage> found = mailTo(server, to);
        assertThat(found).as("emails to %s", to).hasSize(count);
        return found;
    }

    /**
     * The emails the shared stores' SMTP server holds for the address now, without waiting.
     *
     * @param to the recipient
     * @return them, in the server's order
     */
    public static List<MimeMessage> mailTo(String to) {
        return mailTo(TestStores.shared().smtp().greenMail(), to);
    }

    /**
     * The emails the server holds for the address now, without waiting.
     *
     * @param server the SMTP server
     * @param to the recipient
     * @return them, in the server's order
     */
    public static List<MimeMessage> mailTo(GreenMail server, String to) {
        return Arrays.stream(server.getReceivedMessages()).filter(message -> sentTo(message, to)).toList();
    }

    private static boolean sentTo(MimeMessage message, String to) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null && Arrays.stream(recipients).anyMatch(r -> r.toString().equals(to));
        } catch (MessagingException unreadable) {
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        smtp.close();
    }
}
