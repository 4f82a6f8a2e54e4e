package store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** The AMQP 0-9-1 connection factory for {@code RABBITMQ_URL}, shared by the publisher and the consumers. */
public final class Broker {

    private Broker() {
    }

    /**
     * {@code amqp://user:pass@host:port/vhost}. An empty path or a lone "/" means the default virtual host "/"
     * (the RabbitMQ client would read {@code amqp://host:5672/} as the empty-named vhost and be refused).
     */
    public static CachingConnectionFactory connectionFactory(URI url) {
        CachingConnectionFactory factory = new CachingConnectionFactory(url.getHost(),
                url.getPort() > 0 ? url.getPort() : 5672);
        String userInfo = url.getRawUserInfo();
        if (userInfo != null) {
            String[] parts = userInfo.split(":", 2);
            factory.setUsername(decode(parts[0]));
            factory.setPassword(parts.length > 1 ? decode(parts[1]) : "");
        }
        String path = url.getRawPath();
        factory.setVirtualHost(path == null || path.length() <= 1 ? "/" : decode(path.substring(1)));
        factory.setConnectionTimeout(5_000);
        // events are marked published only once the broker confirmed them
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        return factory;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
