package config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import store.Broker.QueueType;
import store.Smtp.Security;

/** The variables of docs/operations.md "Configuration" as an operator writes them, secrets from files included. */
class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void anyVariableMayComeFromAFileWithItsTrailingLineBreakDropped() throws Exception {
        Path password = Files.writeString(dir.resolve("smtp-password"), "s3cr3t with spaces\n");
        Path redis = Files.writeString(dir.resolve("redis-url"), "rediss://app:p%40ss@cache.internal:6380/2\n");
        Settings settings = Settings.from(Map.of("SMTP_HOST", "relay.example.edu", "SMTP_SECURITY", "starttls",
                "SMTP_USERNAME", "mailer", "SMTP_PASSWORD_FILE", password.toString(),
                "REDIS_URL_FILE", redis.toString()));
        assertThat(settings.smtpPassword()).isEqualTo("s3cr3t with spaces");
        assertThat(settings.smtpSecurity()).isEqualTo(Security.STARTTLS);
        assertThat(settings.smtpPort()).isEqualTo(25);
        assertThat(settings.redisUrl()).isEqualTo(URI.create("rediss://app:p%40ss@cache.internal:6380/2"));
    }

    @Test
    void aVariableGivenBothWaysIsAStartUpError() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "x");
        assertThatThrownBy(() -> Settings.from(Map.of("ADMIN_PASSWORD", "a", "ADMIN_PASSWORD_FILE", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ADMIN_PASSWORD and ADMIN_PASSWORD_FILE are both set: set only one");
    }

    @Test
    void anUnreadableFileIsAStartUpErrorNamingTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("SMTP_PASSWORD_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SMTP_PASSWORD_FILE names ");
    }

    @Test
    void smtpCredentialsAreNeverSentInClearText() {
        assertThatThrownBy(() -> Settings.from(Map.of("SMTP_HOST", "relay", "SMTP_USERNAME", "mailer",
                "SMTP_PASSWORD", "pw")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only sent over TLS");
    }

    @Test
    void theIdentityProviderIsConfiguredByItsVariablesOrTheirFiles() throws Exception {
        Path audience = Files.writeString(dir.resolve("audience"), "api://enrollment\n");
        Settings settings = Settings.from(Map.of("OIDC_ISSUER", "https://sso.example.edu/realms/university",
                "OIDC_AUDIENCE_FILE", audience.toString(), "OIDC_ROLES_CLAIM", "realm_access.roles",
                "OIDC_ROLE_MAP", "student=Student, faculty=Instructor,staff=Instructor,staff=Registrar",
                "LOCAL_ACCOUNTS", "false"));
        assertThat(settings.oidc().issuer()).isEqualTo(URI.create("https://sso.example.edu/realms/university"));
        assertThat(settings.oidc().audience()).isEqualTo("api://enrollment");
        assertThat(settings.oidc().rolesClaim()).isEqualTo("realm_access.roles");
        assertThat(settings.oidc().roleMap()).containsExactly(Map.entry("student", List.of("Student")),
                Map.entry("faculty", List.of("Instructor")), Map.entry("staff", List.of("Instructor", "Registrar")));
        assertThat(settings.oidc().nameClaim()).isEqualTo("name");
        assertThat(settings.oidc().keySetCache()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(settings.localAccounts()).isFalse();
        Settings plain = Settings.from(Map.of());
        assertThat(plain.oidc()).isNull();
        assertThat(plain.localAccounts()).isTrue();
    }

    @Test
    void aHalfConfiguredOrMalformedIdentityProviderIsAStartUpError() {
        assertThatThrownBy(() -> Settings.from(Map.of("OIDC_ISSUER", "https://sso.example.edu")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OIDC_AUDIENCE");
        assertThatThrownBy(() -> Settings.from(Map.of("OIDC_AUDIENCE", "api")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OIDC_ISSUER");
        assertThatThrownBy(() -> Settings.from(Map.of("OIDC_ISSUER", "sso.example.edu", "OIDC_AUDIENCE", "api")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("OIDC_ISSUER must be");
        assertThatThrownBy(() -> Settings.from(Map.of("OIDC_ISSUER", "https://sso.example.edu", "OIDC_AUDIENCE",
                "api", "OIDC_ROLE_MAP", "student")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("OIDC_ROLE_MAP entries");
        assertThatThrownBy(() -> Settings.from(Map.of("OIDC_ISSUER", "https://sso.example.edu", "OIDC_AUDIENCE",
                "api", "OIDC_ROLES_CLAIM", "realm_access.")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("OIDC_ROLES_CLAIM");
        assertThatThrownBy(() -> Settings.from(Map.of("LOCAL_ACCOUNTS", "no")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("LOCAL_ACCOUNTS must be");
    }

    @Test
    void implicitTlsDefaultsToPort465() {
        assertThat(Settings.from(Map.of("SMTP_HOST", "relay", "SMTP_SECURITY", "TLS")).smtpPort()).isEqualTo(465);
    }

    @Test
    void aWrongChoiceSaysWhichValuesAreAllowed() {
        assertThatThrownBy(() -> Settings.from(Map.of("NOTIFY_QUEUE_TYPE", "stream")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NOTIFY_QUEUE_TYPE must be one of [classic, quorum], not 'stream'");
        assertThatThrownBy(() -> Settings.from(Map.of("SMTP_SECURITY", "ssl")))
                .hasMessage("SMTP_SECURITY must be one of [none, starttls, tls], not 'ssl'");
    }

    @Test
    void aStoreUrlOfAnotherSchemeEndsStartUpNamingItsVariable() {
        // a mistyped TLS scheme must not quietly connect in plain text
        assertThatThrownBy(() -> Settings.from(Map.of("REDIS_URL", "http://cache.internal:6380")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("REDIS_URL must start with redis://, rediss://, not 'http'");
        assertThatThrownBy(() -> Settings.from(Map.of("RABBITMQ_URL",
                "amqps://app:pw@mq-1.internal:5671/enrollment, https://app:pw@mq-2.internal:5671/enrollment")))
                .hasMessage("RABBITMQ_URL must start with amqp://, amqps://, not 'https'");
        assertThat(Settings.from(Map.of("REDIS_URL", "REDISS://cache.internal:6380")).redisUrl().getHost())
                .isEqualTo("cache.internal");
    }

    @Test
    void aBadRetryScheduleNamesItsVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("NOTIFY_RETRY_SCHEDULE", "5s,5x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NOTIFY_RETRY_SCHEDULE: not a delay: '5x' (use e.g. 500ms, 5s, 5m, 2h)");
    }

    @Test
    void severalBrokerUrlsAreTheNodesOfOneCluster() {
        Settings settings = Settings.from(Map.of("RABBITMQ_URL",
                "amqps://app:pw@mq-1.internal:5671/enrollment, amqps://app:pw@mq-2.internal:5671/enrollment",
                "NOTIFY_QUEUE_TYPE", "quorum"));
        assertThat(settings.rabbitMqUrls()).extracting(URI::getHost).containsExactly("mq-1.internal", "mq-2.internal");
        assertThat(settings.notifyQueueType()).isEqualTo(QueueType.QUORUM);
        assertThat(Settings.from(Map.of()).notifyQueueType()).isEqualTo(QueueType.CLASSIC);
        assertThat(Settings.from(Map.of()).rabbitMqUrls()).isNull();
        assertThat(List.of(Settings.from(Map.of()).dynamoDbCreateTables())).containsExactly(true);
    }

    @Test
    void theEmbeddedStoresKeepTheirDataInDataDirUnlessItIsMemory() {
        assertThat(Settings.from(Map.of()).dataDirectory()).isEqualTo(Path.of("data"));
        assertThat(Settings.from(Map.of("DATA_DIR", "/srv/enrollment")).dataDirectory())
                .isEqualTo(Path.of("/srv/enrollment"));
        assertThat(Settings.from(Map.of("DATA_DIR", "memory")).dataDirectory()).isNull();
        assertThatThrownBy(() -> Settings.from(Map.of("DATA_DIR", " ")))
                .hasMessage("DATA_DIR must be a directory or 'memory', not empty");
    }

    @Test
    void malformedNumbersFlagsAndDelaysNameTheirVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("SMTP_PORT", "smtp")))
                .hasMessage("SMTP_PORT must be a port number (1-65535), not 'smtp'");
        assertThatThrownBy(() -> Settings.from(Map.of("HTTP_PORT", "70000")))
                .hasMessage("HTTP_PORT must be a port number (1-65535), not '70000'");
        assertThatThrownBy(() -> Settings.from(Map.of("DYNAMODB_CREATE_TABLES", "yes")))
                .hasMessage("DYNAMODB_CREATE_TABLES must be true or false, not 'yes'");
        assertThatThrownBy(() -> Settings.from(Map.of("DYNAMODB_RETRY_BUDGET", "10")))
                .hasMessageStartingWith("DYNAMODB_RETRY_BUDGET: not a delay: '10'");
        assertThat(Settings.from(Map.of("DYNAMODB_RETRY_BUDGET", "1500ms", "DEMO_DATA", "FALSE")).demoData())
                .isFalse();
    }

    @Test
    void theWebhookHostCeilingAndSecretGraceHaveDefaultsAndRefuseNonsense() {
        Settings defaults = Settings.from(Map.of());
        assertThat(defaults.webhookMaxPerHost()).isEqualTo(64);
        assertThat(defaults.webhookSecretGrace()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(Settings.from(Map.of("WEBHOOK_SECRET_GRACE", "7d")).webhookSecretGrace())
                .isEqualTo(java.time.Duration.ofDays(7));
        assertThatThrownBy(() -> Settings.from(Map.of("WEBHOOK_MAX_PER_HOST", "0")))
                .hasMessage("WEBHOOK_MAX_PER_HOST must be a whole number of at least 1, not '0'");
        assertThatThrownBy(() -> Settings.from(Map.of("WEBHOOK_SECRET_GRACE", "1 day")))
                .hasMessageStartingWith("WEBHOOK_SECRET_GRACE: not a delay");
    }
}
