package store;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Properties;

/**
 * The mail relay's session: the Jakarta Mail {@link Session} the {@code smtp:}/{@code smtps:} endpoint of the
 * email route uses, so TLS, trust and credentials are set in one place and never appear in an endpoint URI.
 * Follows RFC 5321 (SMTP), RFC 3207 (STARTTLS), RFC 8314 (implicit TLS on 465) and RFC 4954 (AUTH), with the
 * property names of Jakarta Mail's SMTP provider (Eclipse Angus Mail).
 */
public final class Smtp {

    /** How the connection to the relay is protected ({@code SMTP_SECURITY}). */
    public enum Security {
        /** Plain SMTP; no AUTH is ever sent. */
        NONE,
        /** Plain connection upgraded by STARTTLS; a server that does not offer STARTTLS is refused. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS
    }

    /** The same limits as a webhook attempt's (5 s to connect, 10 s per read), so dead letters read alike. */
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Session session;
    private final String protocol;

    /**
     * @param host the relay's host name, verified against its certificate when TLS is used
     * @param port its port
     * @param security how the connection is protected
     * @param username SMTP AUTH user (PLAIN or LOGIN), or null for no AUTH; only with TLS (Settings checks)
     * @param password SMTP AUTH password
     * @param trust the CAs the relay's certificate must chain to
     */
    public Smtp(String host, int port, Security security, String username, String password, TlsTrust trust) {
        protocol = security == Security.TLS ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", protocol);
        properties.put(p + "host", host);
        properties.put(p + "port", Integer.toString(port));
        properties.put(p + "connectiontimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
        properties.put(p + "timeout", Integer.toString(TIMEOUT_MILLIS));
        properties.put(p + "writetimeout", Integer.toString(TIMEOUT_MILLIS));
        if (security != Security.NONE) {
            properties.put(p + "ssl.socketFactory", trust.sslContext().getSocketFactory());
            properties.put(p + "ssl.checkserveridentity", "true");
        }
        if (security == Security.STARTTLS) {
            properties.put(p + "starttls.enable", "true");
            properties.put(p + "starttls.required", "true");
        }
        Authenticator authenticator = null;
        if (username != null) {
            properties.put(p + "auth", "true");
            properties.put(p + "auth.mechanisms", "PLAIN LOGIN");
            properties.put(p + "user", username);
            PasswordAuthentication credentials = new PasswordAuthentication(username, password == null ? "" : password);
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return credentials;
                }
            };
        }
        session = Session.getInstance(properties, authenticator);
    }

    /** The session for the {@code session} option of the mail endpoint. */
    public Session session() {
        return session;
    }

    /** {@code smtp} or {@code smtps}: the scheme of the mail endpoint. */
    public String protocol() {
        return protocol;
    }

    /**
     * Connects, negotiates TLS and authenticates as a delivery would, then quits: the start-up check.
     *
     * @throws MessagingException with the relay's or the TLS layer's reason when any step fails
     */
    public void connect() throws MessagingException {
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect();
        }
    }
}
