package app;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The service's configuration, read from the variables of API.md "Operations". A record so that a test can
 * build one for each service instance it starts instead of mutating the process environment.
 */
public record Settings(
        String httpHost,
        int httpPort,
        URI dynamoDbEndpoint,
        String awsRegion,
        URI redisUrl,
        URI rabbitMqUrl,
        String smtpHost,
        int smtpPort,
        String notifyFrom,
        String adminUsername,
        String adminPassword,
        boolean demoData,
        boolean allowPrivateWebhookTargets,
        List<Duration> retrySchedule,
        Path jwtPrivateKeyFile,
        String storePrefix,
        Path routesReloadDirectory,
        Duration promotionRepairAfter) {

    public static final String DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        boolean allEmbedded = blank(env.get("DYNAMODB_ENDPOINT")) && blank(env.get("REDIS_URL"))
                && blank(env.get("RABBITMQ_URL")) && blank(env.get("SMTP_HOST"));
        return new Settings(
                env.getOrDefault("HTTP_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080")),
                uri(env.get("DYNAMODB_ENDPOINT")),
                env.getOrDefault("AWS_REGION", "us-east-1"),
                uri(env.get("REDIS_URL")),
                uri(env.get("RABBITMQ_URL")),
                blank(env.get("SMTP_HOST")) ? null : env.get("SMTP_HOST"),
                Integer.parseInt(env.getOrDefault("SMTP_PORT", "25")),
                env.getOrDefault("NOTIFY_FROM", "notifications@localhost"),
                env.getOrDefault("ADMIN_USERNAME", "registrar"),
                env.getOrDefault("ADMIN_PASSWORD", "registrar"),
                Boolean.parseBoolean(env.getOrDefault("DEMO_DATA", Boolean.toString(allEmbedded))),
                Boolean.parseBoolean(env.getOrDefault("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false")),
                parseSchedule(env.getOrDefault("NOTIFY_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE)),
                blank(env.get("JWT_PRIVATE_KEY_FILE")) ? null : Path.of(env.get("JWT_PRIVATE_KEY_FILE")),
                env.getOrDefault("STORE_PREFIX", "enrollment-"),
                blank(env.get("ROUTES_RELOAD_DIRECTORY")) ? null : Path.of(env.get("ROUTES_RELOAD_DIRECTORY")),
                parseDuration(env.getOrDefault("PROMOTION_REPAIR_AFTER", "30s")));
    }

    /** The same settings with the stores' addresses filled in (used once the embedded stand-ins run). */
    public Settings withStores(URI dynamoDb, URI redis, URI rabbitMq, String smtpHost, int smtpPort) {
        return new Settings(httpHost, httpPort, dynamoDb, awsRegion, redis, rabbitMq, smtpHost, smtpPort, notifyFrom,
                adminUsername, adminPassword, demoData, allowPrivateWebhookTargets, retrySchedule, jwtPrivateKeyFile,
                storePrefix, routesReloadDirectory, promotionRepairAfter);
    }

    /** Parses {@code 5s,5m,30m,2h}: a number followed by ms, s, m, h or d. */
    public static List<Duration> parseSchedule(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Settings::parseDuration).toList();
    }

    static Duration parseDuration(String text) {
        var units = Map.of("ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1),
                "h", Duration.ofHours(1), "d", Duration.ofDays(1));
        int split = 0;
        while (split < text.length() && Character.isDigit(text.charAt(split))) {
            split++;
        }
        Duration unit = units.get(text.substring(split));
        if (split == 0 || unit == null) {
            throw new IllegalArgumentException("not a delay: '" + text + "' (use e.g. 500ms, 5s, 5m, 2h)");
        }
        return unit.multipliedBy(Long.parseLong(text.substring(0, split)));
    }

    private static URI uri(String value) {
        return blank(value) ? null : URI.create(value);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
