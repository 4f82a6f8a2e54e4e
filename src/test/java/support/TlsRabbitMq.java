package support;

import org.junit.jupiter.api.Assumptions;

/**
 * The TLS-only AMQP listener of CI's RabbitMQ node. .ci/run gives the node a second listener
 * ({@code listeners.ssl.1}, certificate {@link TestCertificates#server()}, no client certificates), a vhost
 * {@code enrollment-tls} and a user {@code enrollment} with a random password allowed only there, and exports
 * {@code RABBITMQ_TLS_URL} and {@code TEST_TLS_DIR} (so {@link TestCertificates} holds the CA it was made with).
 * Starting RabbitMQ takes seconds and needs root to run it as {@code rabbitmq}, so tests do not start their own.
 */
public final class TlsRabbitMq {

    private TlsRabbitMq() {
    }

    /**
     * {@code amqps://enrollment:PASSWORD@localhost:PORT/enrollment-tls}, the form RABBITMQ_URL takes for it.
     * Skips the calling test (JUnit assumption) when RABBITMQ_TLS_URL is not set.
     */
    public static String url() {
        String url = System.getenv("RABBITMQ_TLS_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "RABBITMQ_TLS_URL is not set: skipping the TLS RabbitMQ tests (.ci/run sets it)");
        return url;
    }
}
