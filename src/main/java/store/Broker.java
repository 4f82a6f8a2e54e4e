package store;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The AMQP 0-9-1 connection factory for {@code RABBITMQ_URL}, shared by the publisher and the consumers, and the
 * messaging topology the delivery routes consume from (docs/api.md "Events" and "Delivery").
 */
public final class Broker {

    /** The fanout exchange every event goes to. */
    public static final String NOTIFY_EXCHANGE = "notify";
    /** The queues the delivery routes consume, each bound to {@link #NOTIFY_EXCHANGE}. */
    public static final List<String> DELIVERY_QUEUES = List.of("email", "webhook");

    /**
     * How the delivery queues are declared: {@code classic}, or {@code quorum} (Raft-replicated over the nodes of
     * a RabbitMQ cluster, {@code x-queue-type: quorum}, RabbitMQ 3.8+; the RabbitMQ 4 way to survive a node loss).
     */
    public enum QueueType { CLASSIC, QUORUM }

    private Broker() {
    }

    /**
     * A connection factory for the nodes of one cluster.
     *
     * @param urls {@code amqp://} or {@code amqps://} {@code user:pass@host:port/vhost}, one per node; all share the
     *        scheme, credentials and virtual host of the first (the client connects to the first node that
     *        answers and fails over to the others when the connection is lost). An empty path or a lone "/" means
     *        the default virtual host "/" (the RabbitMQ client would read {@code amqp://host:5672/} as the
     *        empty-named vhost and be refused).
     * @param trust the CAs an {@code amqps://} node's certificate must chain to; its host name is verified
     * @throws IllegalArgumentException when the URLs mix schemes, credentials or virtual hosts
     */
    public static CachingConnectionFactory connectionFactory(List<URI> urls, TlsTrust trust) {
        URI first = urls.get(0);
        boolean tls = "amqps".equalsIgnoreCase(first.getScheme());
        for (URI url : urls) {
            if (!Objects.equals(url.getScheme().toLowerCase(Locale.ROOT), first.getScheme().toLowerCase(Locale.ROOT))
                    || !Objects.equals(url.getRawUserInfo(), first.getRawUserInfo())
                    || !Objects.equals(virtualHost(url), virtualHost(first))) {
                throw new IllegalArgumentException("RABBITMQ_URL: the nodes of one cluster share scheme, user and "
                        + "virtual host; " + url.getHost() + " differs from " + first.getHost());
            }
        }
        com.rabbitmq.client.ConnectionFactory client = new com.rabbitmq.client.ConnectionFactory();
        // Spring AMQP recovers connections itself (and warns when the client would too)
        client.setAutomaticRecoveryEnabled(false);
        if (tls) {
            client.useSslProtocol(trust.sslContext());
            client.enableHostnameVerification();
        }
        CachingConnectionFactory factory = new CachingConnectionFactory(client);
        // The consumers run on the client's delivery threads (Spring's DirectMessageListenerContainer); its default
        // pool has two per core, fewer than the consumers, which then take turns.
        factory.setExecutor(consumerThreads());
        factory.setAddresses(urls.stream()
                .map(url -> url.getHost() + ":" + (url.getPort() > 0 ? url.getPort() : tls ? 5671 : 5672))
                .collect(Collectors.joining(",")));
        UserInfo credentials = UserInfo.of(first);
        if (credentials.user() != null) {
            factory.setUsername(credentials.user());
            factory.setPassword(credentials.password() != null ? credentials.password() : "");
        }
        factory.setVirtualHost(virtualHost(first));
        factory.setConnectionTimeout(5_000);
        // events are marked published only once the broker confirmed them
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        return factory;
    }

    /** Threads that deliver messages to the consumers: enough for every consumer; idle ones end after a minute. */
    static final int CONSUMER_THREADS = 32;

    private static java.util.concurrent.ExecutorService consumerThreads() {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(CONSUMER_THREADS,
                CONSUMER_THREADS, 60, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "amqp-consumer-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Declares the durable fanout exchange, the two durable delivery queues of the given type and their bindings
     * (idempotent; every instance does it at start).
     *
     * @throws org.springframework.amqp.AmqpException when the broker refuses, e.g. a queue exists with another
     *         type ({@code PRECONDITION_FAILED}: a queue's type cannot change in place, see the README)
     */
    public static void declareTopology(CachingConnectionFactory factory, QueueType type) {
        RabbitAdmin admin = new RabbitAdmin(factory);
        admin.setIgnoreDeclarationExceptions(false);
        FanoutExchange exchange = new FanoutExchange(NOTIFY_EXCHANGE, true, false);
        admin.declareExchange(exchange);
        for (String name : DELIVERY_QUEUES) {
            QueueBuilder builder = QueueBuilder.durable(name);
            Queue queue = type == QueueType.QUORUM ? builder.quorum().build() : builder.build();
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(exchange));
        }
    }

    private static String virtualHost(URI url) {
        String path = url.getRawPath();
        return path == null || path.length() <= 1 ? "/" : UserInfo.decodePath(path.substring(1));
    }
}
