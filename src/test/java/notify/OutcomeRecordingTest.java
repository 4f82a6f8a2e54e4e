package notify;

import static org.assertj.core.api.Assertions.assertThat;
import static support.MailSink.mailTo;

import app.EnrollmentService;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.Closing;
import support.RedisServer;
import support.TestService;
import support.Tokens;
import support.WebhookReceiver;

/**
 * Never twice after a success (docs/api.md "Delivery"), when Redis blinks at the worst moment: the target has the
 * delivery, and Redis dies before the service hears the target's answer (the webhook receiver, and the SMTP
 * server before its {@code 250}, kill it while the attempt waits), to come back 4 s later. The outcome the service
 * saw is recorded once Redis answers, within the attempt's lease: the delivery is marked delivered and is neither
 * pending nor in the retry schedule, so nothing will ever attempt it again (on the code before, the outcome was
 * lost, the delivery stayed pending and the schedule sent it a second time when its 60 s lease ran out). Each
 * event arrives once per channel, and nothing is dead-lettered.
 */
class OutcomeRecordingTest {

    static final Tokens tokens = new Tokens();
    static final String PREFIX = "outcome-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    /** Redis's outage: the attempt waiting for the target's answer meets it, and the service must ride it out. */
    static final Duration OUTAGE = Duration.ofSeconds(4);
    @RegisterExtension
    final Closing closing = new Closing();
    RedisServer redis;
    GreenMail mail;
    WebhookReceiver receiver;
    EnrollmentService service;

    @Test
    void aSuccessSeenWhileRedisIsDownIsRecordedWhenItIsBackAndNeverSentAgain() throws Exception {
        redis = closing.add(RedisServer.start());
        CountDownLatch webhookAnswered = new CountDownLatch(1);
        receiver = closing.add(new WebhookReceiver());
        AtomicBoolean hookKilled = new AtomicBoolean();
        receiver.beforeAnswering(() -> {
            if (hookKilled.compareAndSet(false, true)) {
                killRedis();
                webhookAnswered.countDown();
            }
        });
        CountDownLatch mailAccepted = new CountDownLatch(1);
        mail = smtpServerKillingRedisOnTheFirstMail(mailAccepted);
        closing.add(mail::stop);
        service = closing.add(TestService.start(Map.of("REDIS_URL", redis.url(), "STORE_PREFIX", PREFIX,
                "SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "JWT_PRIVATE_KEY_FILE", tokens.pemFile(), "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true")));
        Campus campus = new Campus(new Api(service), tokens);

        // the webhook: the receiver has the event, Redis dies before the 200 reaches the service
        Promotion byWebhook = waiting(campus, Map.of("callbackUrl", receiver.url("/hooks/once")));
        byWebhook.drop();
        assertThat(webhookAnswered.await(20, TimeUnit.SECONDS)).as("the webhook arrived").isTrue();
        Background.throughout(OUTAGE, () -> assertThat(receiver.received()).as("nothing sent again").hasSize(1));
        redis.startAgain();
        String hookEvent = receiver.received().get(0).header("webhook-id");
        assertRecordedAsDelivered(hookEvent + ":" + Delivery.WEBHOOK);

        // the email: the SMTP server has the message, Redis dies before its 250 reaches the service
        String email = "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
        Promotion byEmail = waiting(campus, Map.of("email", email));
        byEmail.drop();
        assertThat(mailAccepted.await(20, TimeUnit.SECONDS)).as("the email arrived").isTrue();
        // (the server may still be storing the first copy as the outage begins)
        Background.throughout(OUTAGE,
                () -> assertThat(mailTo(mail, email)).as("nothing sent again").hasSizeLessThanOrEqualTo(1));
        redis.startAgain();
        List<MimeMessage> mails = mailTo(mail, email);
        assertThat(mails).hasSize(1);
        String mailEvent = mails.get(0).getMessageID().replaceAll("^<|@enrollment-service>$", "");
        assertRecordedAsDelivered(mailEvent + ":" + Delivery.EMAIL);

        // a second send would come from the schedule: nothing is in it, and nothing came meanwhile
        Background.throughout(Duration.ofSeconds(2), () -> {
            assertThat(receiver.received()).as("the webhook exactly once").hasSize(1);
            assertThat(mailTo(mail, email)).as("the email exactly once").hasSize(1);
        });
        assertThat(campus.api.get("/registrar/dead-letters", campus.registrar).json().get("deadLetters"))
                .as("nothing dead-lettered").isEmpty();
    }

    /** A full class of one with a subscribed student waiting; {@link #drop} frees the seat, which promotes them. */
    record Promotion(Campus campus, long classId, Student seated) {

        void drop() {
            assertThat(campus.drop(seated, classId).status()).isEqualTo(200);
        }
    }

    private static Promotion waiting(Campus campus, Map<String, String> subscription) {
        long classId = campus.newClass(1);
        Student seated = campus.student();
        Student waiting = campus.student();
        assertThat(campus.enroll(seated, classId).status()).isEqualTo(201);
        assertThat(campus.enroll(waiting, classId).status()).isEqualTo(202);
        assertThat(campus.api.post("/student/subscribe/" + classId, waiting.token(), subscription).status())
                .isEqualTo(201);
        return new Promotion(campus, classId, seated);
    }

    /**
     * Waits (10 s at most) until Redis holds the delivered marker, then checks that the delivery is neither pending
     * nor in the retry schedule: what the service keeps about a delivery that succeeded.
     */
    private void assertRecordedAsDelivered(String deliveryId) throws Exception {
        Background.eventually(() -> assertThat(redis.cli("EXISTS", PREFIX + "delivered:" + deliveryId).strip())
                .as("%s marked delivered", deliveryId).isEqualTo("1"));
        assertThat(redis.cli("HEXISTS", PREFIX + "deliveries", deliveryId).strip())
                .as("%s no longer pending", deliveryId).isEqualTo("0");
        assertThat(redis.cli("ZSCORE", PREFIX + "retry-schedule", deliveryId).strip())
                .as("%s not in the retry schedule", deliveryId).isEmpty();
    }

    /** A real SMTP server that accepts every message, killing Redis while the first one waits for its 250. */
    private GreenMail smtpServerKillingRedisOnTheFirstMail(CountDownLatch accepted) {
        GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        server.start();
        MessageDeliveryHandler store = server.getUserManager().getMessageDeliveryHandler();
        AtomicBoolean killed = new AtomicBoolean();
        server.getUserManager().setMessageDeliveryHandler((message, address) -> {
            if (killed.compareAndSet(false, true)) {
                killRedis();
                accepted.countDown();
            }
            return store.handle(message, address);
        });
        return server;
    }

    private void killRedis() {
        try {
            redis.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
