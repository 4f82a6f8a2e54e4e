package notify;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.Closing;
import support.MailSink;
import support.RedisServer;
import support.TestService;
import support.TestStores;
import support.Tokens;
import support.WebhookReceiver;

/**
 * No queue message is acknowledged before its delivery is safe (docs/api.md "Delivery"): events that reach the queues
 * while Redis is down (the outbox sweep publishing after a broker outage, in the field) wait in the queues and are
 * delivered by email and by webhook once Redis is back, each exactly once, with no dead letter.
 */
class RedisOutageDeliveryTest {

    static final Tokens tokens = new Tokens();
    static final int EVENTS = 20;
    @RegisterExtension
    final Closing closing = new Closing();

    @Test
    void eventsArrivingWhileRedisIsDownAreDeliveredOnceByEmailAndWebhookWhenItIsBack() throws Exception {
        RedisServer redis = closing.add(RedisServer.start());
        EnrollmentService service = closing.add(TestService.start(Map.of("REDIS_URL", redis.url(),
                "JWT_PRIVATE_KEY_FILE", tokens.pemFile(), "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true")));
        WebhookReceiver receiver = closing.add(new WebhookReceiver());
        Campus campus = new Campus(new Api(service), tokens);
        long classId = campus.newClass(EVENTS);
        List<Student> students = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            Student student = campus.student();
            String email = "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
            assertThat(campus.api.post("/student/subscribe/" + classId, student.token(), Map.of("email", email,
                    "callbackUrl", receiver.url("/hooks/" + student.id()))).status()).isEqualTo(201);
            students.add(student);
            emails.add(email);
        }

        redis.kill();
        List<String> published = new ArrayList<>();
        try (Connection connection = TestStores.plainRabbitMq().newConnection();
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (Student student : students) {
                String id = UUID.randomUUID().toString();
                channel.basicPublish("notify", "", MessageProperties.PERSISTENT_TEXT_PLAIN,
                        enrolled(id, student.id(), classId).getBytes(StandardCharsets.UTF_8));
                published.add(id);
            }
            channel.waitForConfirmsOrDie(5_000);
        }
        // every consumer meets the outage: each message is tried, backed off and handed back, several times, and
        // none is delivered meanwhile
        Background.throughout(Duration.ofSeconds(8), () -> assertThat(receiver.received()).isEmpty());

        redis.startAgain();
        List<WebhookReceiver.Received> hooks = receiver.await(EVENTS, 30_000);
        assertThat(hooks).extracting(hook -> hook.header("webhook-id"))
                .as("every event by webhook").containsExactlyInAnyOrderElementsOf(published);
        for (int i = 0; i < EVENTS; i++) {
            MimeMessage mail = MailSink.awaitMail(emails.get(i), 1).get(0);
            assertThat(mail.getMessageID()).isEqualTo("<" + published.get(i) + "@enrollment-service>");
        }

        Background.throughout(Duration.ofSeconds(3), () -> {
            assertThat(receiver.received()).as("each webhook exactly once").hasSize(EVENTS);
            for (String email : emails) {
                assertThat(MailSink.mailTo(email)).as("each email exactly once").hasSize(1);
            }
        });
        assertThat(campus.api.get("/registrar/dead-letters", campus.registrar).json().get("deadLetters"))
                .as("nothing dead-lettered").isEmpty();
    }

    /** An {@code enrolled} event as the service publishes it (docs/api.md "Events"). */
    private static String enrolled(String id, long studentId, long classId) {
        return json.Json.write(new event.Event(id, "enrolled", "enrolled", studentId, classId, studentId, classId,
                "Web Back-End Engineering", "Ada Lovelace", Instant.now(), null, event.Event.VIA_WAITLIST, null, null));
    }
}
