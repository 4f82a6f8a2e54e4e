package app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import store.StoreCheck.StoreUnavailableException;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.DynamoDbConflictProxy;
import support.Rush;
import support.TestCertificates;
import support.TestService;
import support.TestStores;
import support.TlsRabbitMq;
import support.TlsRedisServer;
import support.TlsSmtpServer;
import support.Tokens;
import support.WebhookReceiver;

/**
 * The service where a university runs it: Redis on a TLS-only port with an ACL user, RabbitMQ on a TLS-only
 * listener with its own user and vhost and quorum queues, a mail relay that insists on STARTTLS and AUTH, and
 * DynamoDB Local behind the conflict-emulating proxy; two instances share them. Certificates come from the test's
 * own CA (TLS_CA_FILE), host names are verified. Runs in CI (.ci/run starts the TLS listener); skipped without
 * redis-server, aiosmtpd or RABBITMQ_TLS_URL.
 */
class ManagedStoresTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static Tokens tokens = new Tokens();
    static TlsRedisServer redis;
    static TlsSmtpServer smtp;
    static DynamoDbConflictProxy proxy;
    static Map<String, String> env;
    static EnrollmentService first;
    static EnrollmentService second;
    static Campus campus;
    static List<Api> instances;

    /** Why the managed stores are not there (a CI-only part is missing), or null when they are. */
    static String missing;

    @BeforeAll
    static void start() throws Exception {
        String rabbitMq;
        try {
            rabbitMq = TlsRabbitMq.url();
            redis = TlsRedisServer.start();
            smtp = TlsSmtpServer.start(TlsSmtpServer.Security.STARTTLS);
        } catch (TestAbortedException notHere) {
            // Aborted here, the class would be reported as "Tests run: 0"; each test reports the reason instead.
            missing = notHere.getMessage();
            return;
        }
        proxy = DynamoDbConflictProxy.start(TestStores.shared().settings().dynamoDbEndpoint())
                .transactionLatency(Duration.ofMillis(5));
        Path smtpPassword = Files.createTempFile("smtp-password", "");
        Files.writeString(smtpPassword, smtp.password() + "\n");
        env = new HashMap<>(Map.of("JWT_PRIVATE_KEY_FILE", tokens.pemFile(),
                "STORE_PREFIX", "managed" + Tokens.freshId() + "-",
                "DYNAMODB_ENDPOINT", proxy.endpoint().toString(), "DYNAMODB_RETRY_BUDGET", "20s",
                "REDIS_URL", redis.url(), "RABBITMQ_URL", rabbitMq, "NOTIFY_QUEUE_TYPE", "quorum",
                "SMTP_HOST", smtp.host(), "SMTP_PORT", Integer.toString(smtp.port())));
        env.putAll(Map.of("SMTP_SECURITY", "starttls", "SMTP_USERNAME", TlsSmtpServer.USERNAME,
                "SMTP_PASSWORD_FILE", smtpPassword.toString(), "TLS_CA_FILE", TestCertificates.caFile().toString(),
                "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
        first = TestService.start(env);
        second = TestService.start(env);
        campus = new Campus(new Api(first), tokens);
        instances = List.of(campus.api, new Api(second));
    }

    @BeforeEach
    void needsTheManagedStores() {
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {first, second, proxy, smtp, redis}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void bothInstancesAreHealthy() {
        for (Api api : instances) {
            Api.Response health = api.get("/observe/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void aPromotionIsMailedOverStarttlsWithAuthAndPostedAsASignedWebhook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            long classId = campus.newClass(1);
            Student seated = campus.student();
            Student waiting = campus.student();
            assertThat(campus.enroll(seated, classId).status()).isEqualTo(201);
            assertThat(campus.enroll(waiting, classId).status()).isEqualTo(202);
            String email = "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
            Api.Response subscribed = instances.get(1).post("/student/subscribe/" + classId, waiting.token(),
                    Map.of("email", email, "callbackUrl", receiver.url("/hooks/tls")));
            assertThat(subscribed.status()).isEqualTo(201);
            assertThat(campus.drop(seated, classId).status()).isEqualTo(200);

            WebhookReceiver.Received hook = receiver.await(1, 20_000).get(0);
            JsonNode event = JSON.readTree(hook.body());
            assertThat(event.get("type").asText()).isEqualTo("enrolled");
            assertThat(event.get("studentId").asLong()).isEqualTo(waiting.id());
            assertThat(hook.header("webhook-signature")).isEqualTo(WebhookReceiver.expectedSignature(
                    subscribed.json().get("secret").asText(), hook.header("webhook-id"),
                    hook.header("webhook-timestamp"), hook.body()));

            TlsSmtpServer.Message mail = awaitMail(email);
            assertThat(mail.tls()).as("sent after STARTTLS").isTrue();
            assertThat(mail.login()).isEqualTo(TlsSmtpServer.USERNAME);
            assertThat(mail.subject()).isEqualTo("New Enrollment");
            assertThat(mail.raw()).contains(event.get("id").asText());
        }
    }

    @Test
    void theRegistrationRushHoldsOnManagedStores() throws Exception {
        Rush.sixHundredOnTwoHundredSeatsThenFiftyDrops(campus, instances, proxy);
    }

    @Test
    void theQueuesAreQuorumQueuesAndAClassicInstanceIsRefusedWithOneSentence() {
        assertThatThrownBy(() -> TestService.start(with("NOTIFY_QUEUE_TYPE", "classic")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("RabbitMQ at localhost:")
                .hasMessageContaining("PRECONDITION_FAILED").hasMessageContaining("x-queue-type");
    }

    @Test
    void aWrongRedisPasswordEndsStartUpWithOneSentence() {
        String wrong = redis.url().replace(redis.password(), "not-the-password");
        assertThatThrownBy(() -> TestService.start(with("REDIS_URL", wrong)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("Redis at localhost:" + redis.port() + ": the credentials were refused (WRONGPASS "
                        + "invalid username-password pair or user is disabled.)");
    }

    @Test
    void anUntrustedCertificateEndsStartUpWithOneSentence() {
        Map<String, String> variables = with("TLS_CA_FILE", TestCertificates.untrustedCaFile().toString());
        assertThatThrownBy(() -> TestService.start(variables))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("Redis at localhost:" + redis.port() + ": its TLS certificate is not trusted "
                        + "(add the CA that signed it to TLS_CA_FILE)");
    }

    @Test
    void aWrongRabbitMqPasswordEndsStartUpWithOneSentence() {
        String url = env.get("RABBITMQ_URL");
        String wrong = url.replaceFirst("://([^:]+):[^@]+@", "://$1:not-the-password@");
        assertThatThrownBy(() -> TestService.start(with("RABBITMQ_URL", wrong)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("RabbitMQ at localhost:")
                .hasMessageContaining("the credentials were refused (ACCESS_REFUSED");
    }

    @Test
    void aWrongSmtpPasswordEndsStartUpWithOneSentence() throws Exception {
        Path wrong = Files.createTempFile("smtp-password", "");
        Files.writeString(wrong, "not-the-password");
        assertThatThrownBy(() -> TestService.start(with("SMTP_PASSWORD_FILE", wrong.toString())))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("SMTP relay at localhost:" + smtp.port() + ": the credentials were refused (535");
    }

    @Test
    void aRelayThatDoesNotOfferStarttlsIsRefused() throws Exception {
        try (TlsSmtpServer plain = TlsSmtpServer.start(TlsSmtpServer.Security.NONE)) {
            Map<String, String> variables = with("SMTP_PORT", Integer.toString(plain.port()));
            assertThatThrownBy(() -> TestService.start(variables))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("SMTP relay at localhost:" + plain.port()
                            + ": STARTTLS is required but host does not support STARTTLS");
        }
        assertThat(smtp.messages()).noneMatch(m -> !m.tls());
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> variables = new HashMap<>(env);
        variables.put(name, value);
        return variables;
    }

    private static TlsSmtpServer.Message awaitMail(String to) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (TlsSmtpServer.Message message : smtp.messages()) {
                if (message.to().contains(to)) {
                    return message;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail to " + to + " within 20 s; received: " + smtp.messages());
    }
}
