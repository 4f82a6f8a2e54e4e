package store;

import jakarta.mail.AuthenticationFailedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.springframework.amqp.AmqpAuthenticationException;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * The start-up check of each store: one round trip that connects, negotiates TLS and authenticates as the service
 * will. A failure becomes one sentence that names the store and says what an operator must fix (untrusted
 * certificate, wrong host name, refused credentials, nothing listening), instead of a client's stack trace or a
 * consumer reconnecting in a loop.
 */
public final class StoreCheck {

    /** A step of a store's client that may fail with any exception. */
    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }

    /** A step of a store's client that makes something, such as a connected client. */
    @FunctionalInterface
    public interface Connect<T> {
        T run() throws Exception;
    }

    /** The store could not be used at start-up; the message is the sentence for the operator. */
    public static final class StoreUnavailableException extends RuntimeException {

        private final boolean unreachable;

        StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
            unreachable = causes(cause).stream()
                    .anyMatch(t -> t instanceof ConnectException || t instanceof SocketTimeoutException);
        }

        /** True when nothing answered (refused or timed out), false when the store answered and said no. */
        public boolean unreachable() {
            return unreachable;
        }
    }

    private StoreCheck() {
    }

    /**
     * Runs the probe once.
     *
     * @param store what an operator calls the store, with its address, e.g. {@code "Redis at cache.internal:6379"}
     * @throws StoreUnavailableException with the sentence "STORE: WHY" when the probe fails
     */
    public static void require(String store, Probe probe) {
        connect(store, () -> {
            probe.run();
            return null;
        });
    }

    /**
     * As {@link #require}, for a step that makes the client it connects.
     *
     * @return what the step made
     * @throws StoreUnavailableException with the sentence "STORE: WHY" when the step fails
     */
    public static <T> T connect(String store, Connect<T> step) {
        try {
            return step.run();
        } catch (Exception e) {
            throw new StoreUnavailableException(store + ": " + describe(e), e);
        }
    }

    /**
     * What went wrong, in the operator's words.
     *
     * @param failure any exception of a store client (Jedis, the RabbitMQ client, Jakarta Mail, the AWS SDK)
     * @return a sentence without class names, e.g. "its TLS certificate is not trusted (…)"
     */
    public static String describe(Throwable failure) {
        List<Throwable> causes = causes(failure);
        // the most specific reason wins, wherever it sits in the chain (a TLS failure wraps its certificate error)
        for (Throwable t : causes) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "its TLS certificate is not trusted (add the CA that signed it to TLS_CA_FILE)";
            }
            if (t instanceof CertificateException && String.valueOf(t.getMessage()).contains("name")) {
                return "its TLS certificate does not name the host the service connects to (" + t.getMessage() + ")";
            }
        }
        for (Throwable t : causes) {
            if (t instanceof JedisAccessControlException || t instanceof AmqpAuthenticationException
                    || t instanceof AuthenticationFailedException
                    || String.valueOf(t.getMessage()).matches("(?s).*(WRONGPASS|NOAUTH|ACCESS_REFUSED|NOPERM).*")) {
                return "the credentials were refused (" + firstLine(t.getMessage()) + ")";
            }
            if (t instanceof ConnectException) {
                return "nothing accepts connections there (" + firstLine(t.getMessage()) + ")";
            }
            if (t instanceof UnknownHostException) {
                return "the host name does not resolve (" + t.getMessage() + ")";
            }
            if (t instanceof SocketTimeoutException) {
                return "it did not answer in time (" + firstLine(t.getMessage()) + ")";
            }
        }
        for (Throwable t : causes) {
            if (t instanceof SSLException) {
                return "the TLS handshake failed (" + firstLine(t.getMessage()) + ")";
            }
        }
        String deepest = failure.getMessage();
        for (Throwable t : causes) {
            if (t.getMessage() != null) {
                deepest = t.getMessage();
            }
        }
        return firstLine(deepest);
    }

    /**
     * The failure, its causes and what they suppressed (Jedis keeps the socket's error as a suppressed one), outer
     * first.
     *
     * @param failure any exception, or null (an empty list)
     */
    public static List<Throwable> causes(Throwable failure) {
        return causes(failure, new ArrayList<>());
    }

    private static List<Throwable> causes(Throwable failure, List<Throwable> seen) {
        for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            for (Throwable suppressed : t.getSuppressed()) {
                causes(suppressed, seen);
            }
        }
        return seen;
    }

    /**
     * The first line of an exception's message, without the "some.package.SomeException: " prefixes wrappers add:
     * what an operator may read of it.
     *
     * @param text a message, or null
     * @return the plain first line, or "no reason given" for null
     */
    public static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).replaceAll("([a-z_][\\w$]*\\.)+[A-Z][\\w$]*: ", "")
                .strip();
    }
}
