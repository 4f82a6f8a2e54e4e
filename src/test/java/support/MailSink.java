package support;

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
    private int seen;

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

    private void readNewMessages() {
        while (running) {
            MimeMessage[] all = smtp.greenMail().getReceivedMessages();
            long now = System.currentTimeMillis();
            for (; seen < all.length; seen++) {
                try {
                    arrivals.computeIfAbsent(all[seen].getMessageID(), id -> new CopyOnWriteArrayList<>()).add(now);
                } catch (jakarta.mail.MessagingException unreadable) {
                    arrivals.computeIfAbsent("(unreadable)", id -> new CopyOnWriteArrayList<>()).add(now);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
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
