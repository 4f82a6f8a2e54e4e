package support;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import embedded.EmbeddedSmtp;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real SMTP server (GreenMail, on 127.0.0.1) that keeps every message, and notes when each copy of a
 * {@code Message-ID} arrived (read every 100 ms), so a test can count how often each email was delivered and
 * tell a copy sent again after a success from one sent again after a crash.
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

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        smtp.close();
    }
}
