package store;

import java.net.URI;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The Redis connection: a pooled Jedis factory and a String template (camel-spring-redis would otherwise
 * serialise keys with JDK serialisation). camel-main runs no Spring lifecycle, so the factory is started here.
 * {@code rediss://} connects over TLS with the service's trust and the host name verified (ElastiCache with
 * in-transit encryption, Redis 6+ {@code tls-port}); user and password are Redis 6 ACL credentials
 * ({@code AUTH user password}), a password alone authenticates the {@code default} user.
 */
public final class Redis implements AutoCloseable {

    private final JedisConnectionFactory factory;
    private final StringRedisTemplate template;

    /**
     * @param url {@code redis://} or {@code rediss://}, {@code [user:password@]host:port[/db]}, user and password
     *        percent-decoded
     * @param trust the CAs a {@code rediss://} server's certificate must chain to
     */
    public Redis(URI url, TlsTrust trust) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(url.getHost(),
                url.getPort() > 0 ? url.getPort() : 6379);
        UserInfo credentials = UserInfo.of(url);
        if (credentials.password() != null) {
            server.setUsername(credentials.user());
            server.setPassword(credentials.password());
        } else if (credentials.user() != null) {
            server.setPassword(credentials.user());  // redis://secret@host: a password for the default user
        }
        String path = url.getPath();
        if (path != null && path.length() > 1) {
            server.setDatabase(Integer.parseInt(path.substring(1)));
        }
        JedisPoolConfig pool = new JedisPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMinIdle(4);
        pool.setMaxWait(Duration.ofSeconds(2));
        JedisClientConfiguration.JedisClientConfigurationBuilder client = JedisClientConfiguration.builder()
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2));
        if ("rediss".equalsIgnoreCase(url.getScheme())) {
            client.useSsl().sslSocketFactory(trust.sslContext().getSocketFactory())
                    .sslParameters(TlsTrust.verifyingHostName());
        }
        factory = new JedisConnectionFactory(server, client.usePooling().poolConfig(pool).build());
        factory.afterPropertiesSet();
        factory.start();
        template = new StringRedisTemplate(factory);
        template.afterPropertiesSet();
    }

    public StringRedisTemplate template() {
        return template;
    }

    /** Round trip used by the health check. */
    public void ping() {
        template.execute((org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping());
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
