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
 */
public final class Redis implements AutoCloseable {

    private final JedisConnectionFactory factory;
    private final StringRedisTemplate template;

    public Redis(URI url) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(url.getHost(), url.getPort());
        String userInfo = url.getUserInfo();
        if (userInfo != null) {
            String[] parts = userInfo.split(":", 2);
            if (parts.length == 2) {
                server.setUsername(parts[0].isEmpty() ? null : parts[0]);
                server.setPassword(parts[1]);
            } else {
                server.setPassword(parts[0]);
            }
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
        factory = new JedisConnectionFactory(server, JedisClientConfiguration.builder()
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2))
                .usePooling().poolConfig(pool).build());
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
