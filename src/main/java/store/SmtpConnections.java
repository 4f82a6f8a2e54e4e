package store;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.apache.camel.component.mail.DefaultJavaMailSender;

/**
 * camel-mail's sender, keeping the relay's connections open between messages: Camel's own
 * {@link DefaultJavaMailSender} connects, says EHLO, negotiates TLS, authenticates and quits for every message,
 * which costs more than the message itself. RFC 5321 (§3.3) lets one session carry many mail transactions, so a
 * connection that sent a message goes back to an idle stack and the next message reuses it; one idle for more than
 * {@link #IDLE_CHECK_AFTER_MILLIS} is first checked with a {@code NOOP} (Jakarta Mail's
 * {@link Transport#isConnected()}), as a relay may have closed it meanwhile. A connection on which anything
 * failed is closed, never reused. Plugged into the {@code smtp:} endpoint as its {@code javaMailSender}.
 */
public final class SmtpConnections extends DefaultJavaMailSender implements AutoCloseable {

    /**
     * A connection idle for longer is checked before it is reused (ms). Relays close idle connections after
     * minutes (RFC 5321 §4.5.3.2.7 asks for at least 5), so a busy connection needs no check.
     */
    static final long IDLE_CHECK_AFTER_MILLIS = 10_000;

    private final Smtp smtp;
    /** Most recently used first, so a quiet period leaves the fewest connections warm. */
    private final BlockingDeque<Idle> idle = new LinkedBlockingDeque<>();

    private record Idle(Transport transport, long sinceMillis) {
    }

    /** @param smtp the relay's session: its host, port, TLS, trust and credentials */
    public SmtpConnections(Smtp smtp) {
        this.smtp = smtp;
        setSession(smtp.session());
        setProtocol(smtp.protocol());
    }

    /**
     * Sends one message over an open connection, or a new one.
     *
     * @param message the message camel-mail built; its {@code Message-ID} is kept (saving it would replace it)
     * @throws MessagingException when the relay refused the message or the connection failed
     */
    @Override
    public void send(MimeMessage message) throws MessagingException {
        // what DefaultJavaMailSender does before it sends
        if (message.getSentDate() == null) {
            message.setSentDate(new Date());
        }
        String messageId = message.getMessageID();
        message.saveChanges();
        if (messageId != null) {
            message.setHeader("Message-ID", messageId);
        }
        Transport transport = borrow();
        try {
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException | RuntimeException failure) {
            closeQuietly(transport);
            throw failure;
        }
        idle.offerFirst(new Idle(transport, System.currentTimeMillis()));
    }

    private Transport borrow() throws MessagingException {
        for (Idle open = idle.pollFirst(); open != null; open = idle.pollFirst()) {
            if (System.currentTimeMillis() - open.sinceMillis() <= IDLE_CHECK_AFTER_MILLIS
                    || open.transport().isConnected()) {
                return open.transport();
            }
            closeQuietly(open.transport());
        }
        Transport transport = smtp.session().getTransport(smtp.protocol());
        transport.connect();
        return transport;
    }

    /** Quits every idle connection. */
    @Override
    public void close() {
        for (Idle open = idle.pollFirst(); open != null; open = idle.pollFirst()) {
            closeQuietly(open.transport());
        }
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException alreadyGone) {
            // nothing to give back: the connection is unusable either way
        }
    }
}
