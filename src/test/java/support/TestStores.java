package support;

import config.Settings;
import embedded.EmbeddedStores;
import java.util.HashMap;
import java.util.Map;

/**
 * The stores the whole test suite shares: the real Redis and RabbitMQ named by REDIS_URL / RABBITMQ_URL when
 * set (CI), embedded stand-ins for the rest, started once per JVM. Each service a test starts gets its own
 * DynamoDB table prefix, so tests do not see each other's data.
 */
public final class TestStores {

    private static EmbeddedStores stores;

    private TestStores() {
    }

    /** The environment a test service starts with: the shared stores' addresses, plus the given variables. */
    public static synchronized Map<String, String> environment(Map<String, String> extra) {
        if (stores == null) {
            Map<String, String> env = new HashMap<>();
            copy("REDIS_URL", env);
            copy("RABBITMQ_URL", env);
            copy("DYNAMODB_ENDPOINT", env);
            copy("SMTP_HOST", env);
            copy("SMTP_PORT", env);
            // the tests' stand-ins keep nothing: every run starts empty
            env.put("DATA_DIR", Settings.IN_MEMORY);
            stores = EmbeddedStores.startMissing(Settings.from(env));
            Runtime.getRuntime().addShutdownHook(new Thread(stores::close));
        }
        Settings shared = stores.settings();
        Map<String, String> env = new HashMap<>();
        env.put("DYNAMODB_ENDPOINT", shared.dynamoDbEndpoint().toString());
        env.put("REDIS_URL", shared.redisUrl().toString());
        env.put("RABBITMQ_URL", shared.rabbitMqUrls().get(0).toString());
        env.put("SMTP_HOST", shared.smtpHost());
        env.put("SMTP_PORT", Integer.toString(shared.smtpPort()));
        env.put("DEMO_DATA", "false");
        env.put("DATA_DIR", Settings.IN_MEMORY);
        env.putAll(extra);
        return env;
    }

    public static synchronized EmbeddedStores shared() {
        environment(Map.of());
        return stores;
    }

    private static void copy(String name, Map<String, String> env) {
        String value = System.getenv(name);
        if (value != null && !value.isBlank()) {
            env.put(name, value);
        }
    }

    /**
     * A plain RabbitMQ client's connection factory for the shared broker, as a third party would make it (the
     * client reads a lone trailing "/" as the empty-named vhost, so it is dropped: the default "/").
     */
    public static com.rabbitmq.client.ConnectionFactory plainRabbitMq() throws Exception {
        return plainRabbitMq(environment(Map.of()).get("RABBITMQ_URL"));
    }

    /** The same for the broker at {@code url} (an {@code amqp://} URL as RABBITMQ_URL takes it). */
    public static com.rabbitmq.client.ConnectionFactory plainRabbitMq(String url) throws Exception {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setUri(url.replaceFirst("/$", ""));
        return factory;
    }
}
