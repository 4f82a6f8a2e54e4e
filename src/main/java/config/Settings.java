package config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import store.Broker.QueueType;
import store.Smtp.Security;

/**
 * The service's configuration, read from the variables of docs/operations.md "Configuration". A record so that a test can
 * build one for each service instance it starts instead of mutating the process environment.
 *
 * <p>Every variable may instead be given as {@code NAME_FILE}, the path of a file holding its value (the Docker
 * and Kubernetes secrets convention); one trailing line break is dropped from the file's content.
 */
public record Settings(
        String httpHost,
        int httpPort,
        URI dynamoDbEndpoint,
        String awsRegion,
        boolean dynamoDbCreateTables,
        Duration dynamoDbRetryBudget,
        URI redisUrl,
        List<URI> rabbitMqUrls,
        QueueType notifyQueueType,
        String smtpHost,
        int smtpPort,
        Security smtpSecurity,
        String smtpUsername,
        String smtpPassword,
        Path tlsCaFile,
        String notifyFrom,
        String adminUsername,
        String adminPassword,
        boolean demoData,
        boolean allowPrivateWebhookTargets,
        boolean jolokiaAllowExec,
        List<Duration> retrySchedule,
        Duration circuitOpenFor,
        int webhookMaxPerHost,
        Duration webhookSecretGrace,
        Path jwtPrivateKeyFile,
        String storePrefix,
        Path routesReloadDirectory,
        Duration promotionRepairAfter,
        Duration offerHour,
        Oidc oidc,
        boolean localAccounts,
        Path dataDirectory,
        int maxCredits) {

    public static final String DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

    /** The variables this service reads; each may also come as {@code NAME_FILE}. */
    static final List<String> VARIABLES = List.of("HTTP_HOST", "HTTP_PORT", "DYNAMODB_ENDPOINT", "AWS_REGION",
            "DYNAMODB_CREATE_TABLES", "DYNAMODB_RETRY_BUDGET", "REDIS_URL", "RABBITMQ_URL", "NOTIFY_QUEUE_TYPE",
            "SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USERNAME", "SMTP_PASSWORD", "TLS_CA_FILE", "NOTIFY_FROM",
            "ADMIN_USERNAME", "ADMIN_PASSWORD", "DEMO_DATA", "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "NOTIFY_RETRY_SCHEDULE",
            "NOTIFY_CIRCUIT_OPEN", "JWT_PRIVATE_KEY_FILE", "STORE_PREFIX", "ROUTES_RELOAD_DIRECTORY", "PROMOTION_REPAIR_AFTER",
            "OFFER_HOUR", "JOLOKIA_ALLOW_EXEC", "WEBHOOK_MAX_PER_HOST", "WEBHOOK_SECRET_GRACE", "OIDC_ISSUER",
            "OIDC_AUDIENCE", "OIDC_ROLES_CLAIM", "OIDC_ROLE_MAP", "OIDC_NAME_CLAIM", "OIDC_JWKS_CACHE", "LOCAL_ACCOUNTS",
            "DATA_DIR", "MAX_CREDITS");

    /**
     * The campus identity provider whose access tokens are accepted besides the service's own (docs/api.md
     * "Authentication and roles").
     *
     * @param issuer the issuer identifier, exactly as the tokens' {@code iss} and the discovery document's
     *        {@code issuer} write it (OpenID Connect Discovery 1.0, section 3)
     * @param audience the value the tokens' {@code aud} must contain
     * @param rolesClaim where the roles are: a claim name, or a dotted path into nested objects
     * @param roleMap claim value → role names; empty: the values are the role names themselves
     * @param nameClaim the claim holding the user's display name
     * @param keySetCache how long a fetched key set is used before it is fetched again (OIDC_JWKS_CACHE, added)
     */
    public record Oidc(URI issuer, String audience, String rolesClaim, Map<String, List<String>> roleMap,
                       String nameClaim, Duration keySetCache) {
    }

    /** The {@code DATA_DIR} value that keeps the embedded stand-ins' data in memory only (the tests' choice). */
    public static final String IN_MEMORY = "memory";

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads the settings from variables named as in docs/operations.md ("Configuration").
     *
     * @param variables the process environment, or a test's stand-in for it
     * @throws IllegalArgumentException when a value is malformed, a variable is given both directly and as
     *         {@code NAME_FILE}, a {@code NAME_FILE} cannot be read, or SMTP credentials would travel in clear text
     */
    public static Settings from(Map<String, String> variables) {
        Map<String, String> env = withFileValues(variables);
        boolean allEmbedded = blank(env.get("DYNAMODB_ENDPOINT")) && blank(env.get("REDIS_URL"))
                && blank(env.get("RABBITMQ_URL")) && blank(env.get("SMTP_HOST"));
        Security smtpSecurity = choice(env, "SMTP_SECURITY", Security.NONE);
        String smtpUsername = blank(env.get("SMTP_USERNAME")) ? null : env.get("SMTP_USERNAME");
        if (smtpUsername != null && smtpSecurity == Security.NONE) {
            throw new IllegalArgumentException(
                    "SMTP_USERNAME is set but SMTP_SECURITY is none: SMTP AUTH is only sent over TLS (starttls or tls)");
        }
        String smtpHost = blank(env.get("SMTP_HOST")) ? null : env.get("SMTP_HOST");
        return new Settings(
                env.getOrDefault("HTTP_HOST", "127.0.0.1"),
                port(env, "HTTP_PORT", "8080"),
                uri(env.get("DYNAMODB_ENDPOINT")),
                env.getOrDefault("AWS_REGION", "us-east-1"),
                flag(env, "DYNAMODB_CREATE_TABLES", "true"),
                delay(env, "DYNAMODB_RETRY_BUDGET", "10s"),
                url("REDIS_URL", env.get("REDIS_URL"), "redis", "rediss"),
                blank(env.get("RABBITMQ_URL")) ? null : Arrays.stream(env.get("RABBITMQ_URL").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty())
                        .map(node -> url("RABBITMQ_URL", node, "amqp", "amqps")).toList(),
                choice(env, "NOTIFY_QUEUE_TYPE", QueueType.CLASSIC),
                smtpHost,
                port(env, "SMTP_PORT", smtpSecurity == Security.TLS ? "465" : "25"),
                smtpSecurity,
                smtpUsername,
                env.get("SMTP_PASSWORD"),
                blank(env.get("TLS_CA_FILE")) ? null : Path.of(env.get("TLS_CA_FILE")),
                env.getOrDefault("NOTIFY_FROM", "notifications@localhost"),
                env.getOrDefault("ADMIN_USERNAME", "registrar"),
                env.getOrDefault("ADMIN_PASSWORD", "registrar"),
                flag(env, "DEMO_DATA", Boolean.toString(allEmbedded)),
                flag(env, "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false"),
                flag(env, "JOLOKIA_ALLOW_EXEC", "false"),
                schedule(env, "NOTIFY_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE),
                delay(env, "NOTIFY_CIRCUIT_OPEN", "30s"),
                positive(env, "WEBHOOK_MAX_PER_HOST", "64"),
                delay(env, "WEBHOOK_SECRET_GRACE", "24h"),
                blank(env.get("JWT_PRIVATE_KEY_FILE")) ? null : Path.of(env.get("JWT_PRIVATE_KEY_FILE")),
                env.getOrDefault("STORE_PREFIX", "enrollment-"),
                blank(env.get("ROUTES_RELOAD_DIRECTORY")) ? null : Path.of(env.get("ROUTES_RELOAD_DIRECTORY")),
                delay(env, "PROMOTION_REPAIR_AFTER", "30s"),
                delay(env, "OFFER_HOUR", "1h"),
                oidc(env),
                flag(env, "LOCAL_ACCOUNTS", "true"),
                dataDirectory(env.getOrDefault("DATA_DIR", "data")),
                range(env, "MAX_CREDITS", "18", 0, 40));
    }

    /**
     * The same settings with the embedded stand-ins' addresses filled in (their servers speak plain TCP, so the
     * SMTP security is none for an embedded SMTP server).
     */
    public Settings withStores(URI dynamoDb, URI redis, List<URI> rabbitMq, String smtpHost, int smtpPort) {
        boolean embeddedSmtp = this.smtpHost == null;
        return new Settings(httpHost, httpPort, dynamoDb, awsRegion, dynamoDbCreateTables, dynamoDbRetryBudget,
                redis, rabbitMq, notifyQueueType, smtpHost, smtpPort,
                embeddedSmtp ? Security.NONE : smtpSecurity, embeddedSmtp ? null : smtpUsername,
                embeddedSmtp ? null : smtpPassword, tlsCaFile, notifyFrom, adminUsername, adminPassword, demoData,
                allowPrivateWebhookTargets, jolokiaAllowExec, retrySchedule, circuitOpenFor, webhookMaxPerHost,
                webhookSecretGrace, jwtPrivateKeyFile, storePrefix, routesReloadDirectory, promotionRepairAfter,
                offerHour, oidc, localAccounts, dataDirectory, maxCredits);
    }

    /** The identity provider's settings, or null without OIDC_ISSUER; the issuer needs an audience and vice versa. */
    private static Oidc oidc(Map<String, String> env) {
        String issuer = env.get("OIDC_ISSUER");
        String audience = env.get("OIDC_AUDIENCE");
        if (blank(issuer) != blank(audience)) {
            throw new IllegalArgumentException("OIDC_ISSUER and OIDC_AUDIENCE go together: set both or neither");
        }
        if (blank(issuer)) {
            return null;
        }
        URI url;
        try {
            url = new URI(issuer.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("OIDC_ISSUER is not a URL: '" + issuer + "'");
        }
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            // OpenID Connect Discovery 1.0, section 3: an https URL without query or fragment (http for tests)
            throw new IllegalArgumentException("OIDC_ISSUER must be an https URL without query or fragment, not '"
                    + issuer + "'");
        }
        String rolesClaim = env.getOrDefault("OIDC_ROLES_CLAIM", "roles").trim();
        String nameClaim = env.getOrDefault("OIDC_NAME_CLAIM", "name").trim();
        if (rolesClaim.isEmpty() || rolesClaim.startsWith(".") || rolesClaim.endsWith(".") || rolesClaim.contains("..")) {
            throw new IllegalArgumentException("OIDC_ROLES_CLAIM must be a claim name or a dotted path such as "
                    + "realm_access.roles, not '" + rolesClaim + "'");
        }
        if (nameClaim.isEmpty()) {
            throw new IllegalArgumentException("OIDC_NAME_CLAIM must name a claim");
        }
        return new Oidc(url, audience.trim(), rolesClaim, roleMap(env.getOrDefault("OIDC_ROLE_MAP", "")), nameClaim,
                delay(env, "OIDC_JWKS_CACHE", "5m"));
    }

    /** {@code student=Student,faculty=Instructor}: a claim value may appear twice to give two roles. */
    static Map<String, List<String>> roleMap(String text) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String value = equals < 0 ? "" : entry.substring(0, equals).trim();
            String role = equals < 0 ? "" : entry.substring(equals + 1).trim();
            if (value.isEmpty() || role.isEmpty()) {
                throw new IllegalArgumentException("OIDC_ROLE_MAP entries are value=Role, separated by commas, not '"
                        + entry.trim() + "'");
            }
            map.computeIfAbsent(value, v -> new java.util.ArrayList<>()).add(role);
        }
        Map<String, List<String>> frozen = new java.util.LinkedHashMap<>();
        map.forEach((value, roles) -> frozen.put(value, List.copyOf(roles)));
        return java.util.Collections.unmodifiableMap(frozen);
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

    /** A TCP port (1–65535); the error names the variable. */
    private static int port(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback).trim();
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be a port number (1-65535), not '" + value + "'");
    }

    /** A whole number of at least 1; the error names the variable. */
    private static int positive(Map<String, String> env, String name, String fallback) {
        return range(env, name, fallback, 1, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}. */
    private static int range(Map<String, String> env, String name, String fallback, int min, int max) {
        String value = env.getOrDefault(name, fallback).trim();
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be a whole number " + (max == Integer.MAX_VALUE
                ? "of at least " + min : "from " + min + " to " + max) + ", not '" + value + "'");
    }

    /** {@code true} or {@code false}, nothing else (a typo must not silently mean false). */
    private static boolean flag(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback).trim();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
    }

    /** A retry schedule such as {@code 5s,5m,30m}; the error names the variable. */
    private static List<Duration> schedule(Map<String, String> env, String name, String fallback) {
        try {
            return parseSchedule(env.getOrDefault(name, fallback));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /**
     * A store's URL whose scheme is one of {@code schemes} (case-insensitive), so that a mistyped TLS scheme
     * ({@code http://} for {@code rediss://}) fails at start-up instead of connecting without TLS.
     *
     * @param name the variable, for the error
     * @param value the URL (one node of a list), or blank for none
     * @param schemes the schemes allowed
     * @return the URL, or null when blank
     * @throws IllegalArgumentException naming the variable, when the value is no URL or has another scheme
     */
    private static URI url(String name, String value, String... schemes) {
        if (blank(value)) {
            return null;
        }
        URI url;
        try {
            url = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a URL: " + e.getMessage());
        }
        for (String scheme : schemes) {
            if (scheme.equalsIgnoreCase(url.getScheme())) {
                return url;
            }
        }
        throw new IllegalArgumentException(name + " must start with " + String.join("://, ", schemes)
                + "://, not '" + url.getScheme() + "'");
    }

    /** A delay such as {@code 10s}; the error names the variable. */
    private static Duration delay(Map<String, String> env, String name, String fallback) {
        try {
            return parseDuration(env.getOrDefault(name, fallback).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /** One of an enum's constants, written in lower case in the variable. */
    private static <E extends Enum<E>> E choice(Map<String, String> env, String name, E fallback) {
        String value = env.get(name);
        if (blank(value)) {
            return fallback;
        }
        for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + Arrays.stream(fallback.getDeclaringClass()
                .getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + value + "'");
    }

    /** The variables with each {@code NAME_FILE} replaced by {@code NAME} holding the file's content. */
    private static Map<String, String> withFileValues(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        for (String name : VARIABLES) {
            String file = variables.get(name + "_FILE");
            if (blank(file)) {
                continue;
            }
            if (!blank(variables.get(name))) {
                throw new IllegalArgumentException(name + " and " + name + "_FILE are both set: set only one");
            }
            try {
                env.put(name, Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceFirst("\r?\n\\z", ""));
            } catch (IOException e) {
                throw new IllegalArgumentException(name + "_FILE names " + file + ", which cannot be read: " + e);
            }
        }
        return env;
    }

    /** {@code DATA_DIR}: a directory (made at start when missing), or null for {@value #IN_MEMORY}. */
    private static Path dataDirectory(String value) {
        if (blank(value)) {
            throw new IllegalArgumentException("DATA_DIR must be a directory or '" + IN_MEMORY + "', not empty");
        }
        return value.trim().equals(IN_MEMORY) ? null : Path.of(value.trim());
    }

    private static URI uri(String value) {
        return blank(value) ? null : URI.create(value);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
