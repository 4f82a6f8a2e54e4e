package notify;

import static org.assertj.core.api.Assertions.assertThat;
import static support.MailSink.awaitMail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.RunningService;
import support.TestService;
import support.WebhookReceiver;

/**
 * From a freed seat to the email that arrives (GreenMail) and the signed webhook that arrives (a real HTTP
 * receiver), through the outbox, the real broker and the delivery routes; and what happens when the target fails.
 */
class DeliveryTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "NOTIFY_RETRY_SCHEDULE", "300ms,300ms,300ms", "NOTIFY_CIRCUIT_OPEN", "3s"));

    static final ObjectMapper JSON = new ObjectMapper();
    static WebhookReceiver receiver;

    @AfterEach
    void closeReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aPromotedStudentGetsTheEmailAndASignedWebhook() throws Exception {
        receiver = new WebhookReceiver();
        Scene scene = promotionScene(receiver.url("/hooks/ada"));

        List<WebhookReceiver.Received> hooks = receiver.await(1, 15_000);
        assertThat(hooks).hasSize(1);
        WebhookReceiver.Received hook = hooks.get(0);
        JsonNode event = JSON.readTree(hook.body());
        assertThat(event.get("type").asText()).isEqualTo("enrolled");
        assertThat(event.get("action").asText()).isEqualTo("enrolled");
        assertThat(event.get("uid").asLong()).isEqualTo(scene.waiting().id());
        assertThat(event.get("studentId").asLong()).isEqualTo(scene.waiting().id());
        assertThat(event.get("class").asLong()).isEqualTo(scene.classId());
        assertThat(event.get("classId").asLong()).isEqualTo(scene.classId());
        assertThat(event.get("title").asText()).isEqualTo("Web Back-End Engineering");
        assertThat(event.get("occurredAt").asText()).endsWith("Z");
        assertThat(hook.header("webhook-id")).isEqualTo(event.get("id").asText());
        assertThat(hook.header("webhook-signature")).isEqualTo(WebhookReceiver.expectedSignature(scene.secret(),
                hook.header("webhook-id"), hook.header("webhook-timestamp"), hook.body()));
        assertThat(Long.parseLong(hook.header("webhook-timestamp")))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));

        MimeMessage mail = awaitMail(scene.email(), 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("New Enrollment");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("notifications@localhost");
        assertThat(mail.getHeader("Message-ID")[0]).contains(event.get("id").asText());
        String text = mail.getContent().toString();
        assertThat(text).contains("Student " + scene.waiting().id(), "Web Back-End Engineering",
                "class " + scene.classId());
    }

    @Test
    void aFlakyWebhookIsRetriedWithTheSameIdUntilItAnswers() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(500, 503, 200);
        promotionScene(receiver.url("/hooks/flaky"));
        List<WebhookReceiver.Received> hooks = receiver.await(3, 15_000);
        Background.throughout(Duration.ofMillis(1_500), () -> assertThat(receiver.received()).hasSize(3));
        assertThat(hooks.stream().map(h -> h.header("webhook-id")).distinct()).hasSize(1);
        // each attempt is signed afresh
        assertThat(hooks.stream().map(h -> h.header("webhook-signature")).allMatch(s -> s.startsWith("v1,"))).isTrue();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {429, 503})
    void aRetryAfterIsRetriedByTheScheduleFreshlySignedNeverByTheHttpClient(int status) throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(status, 200);
        receiver.retryAfter("1");
        Scene scene = promotionScene(receiver.url("/hooks/later"));
        receiver.await(2, 15_000);
        // the Retry-After's second and more: a resend by the HTTP client would come within it
        Background.throughout(Duration.ofMillis(2_500), () -> assertThat(receiver.received()).hasSize(2));
        List<WebhookReceiver.Received> hooks = receiver.received();
        // the schedule's longest delay here is 300 ms: a resend after the full second would be the client's own
        assertThat(hooks.get(1).arrivedAtMillis() - hooks.get(0).arrivedAtMillis()).isLessThan(1_000);
        for (WebhookReceiver.Received hook : hooks) {
            assertThat(hook.header("webhook-signature")).isEqualTo(WebhookReceiver.expectedSignature(scene.secret(),
                    hook.header("webhook-id"), hook.header("webhook-timestamp"), hook.body()));
        }
    }

    @Test
    void aWebhookThatAlwaysFailsBecomesADeadLetterAndAReplayDeliversItOnce() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(500);
        NotifyBuilder everyAttempt = attemptsTo(running.service.camelContext(), receiver.url("/hooks/down"), 4);
        Scene scene = promotionScene(receiver.url("/hooks/down"));
        receiver.await(4, 15_000);
        JsonNode letter = deadLetterAfter(everyAttempt, scene);
        assertThat(letter.get("channel").asText()).isEqualTo("webhook");
        assertThat(letter.get("target").asText()).isEqualTo(receiver.url("/hooks/down"));
        assertThat(letter.get("attempts").asInt()).isEqualTo(4);
        assertThat(letter.get("lastError").asText()).isEqualTo("HTTP 500");
        assertThat(receiver.received()).hasSize(4);

        receiver.answer(200);
        Api.Response replay = running.api.post("/registrar/dead-letters/" + letter.get("id").asText() + "/replay",
                running.campus.registrar, null);
        assertThat(replay.status()).isEqualTo(202);
        receiver.await(5, 10_000);
        Background.throughout(Duration.ofMillis(1_500), () -> assertThat(receiver.received()).hasSize(5));
        assertThat(deadLetterFor(scene)).isNull();
        assertThat(running.api.post("/registrar/dead-letters/" + letter.get("id").asText() + "/replay",
                running.campus.registrar, null).status()).isEqualTo(404);
    }

    @Test
    void aRetryThatHangsDoesNotDelayAnotherTargetsRetry() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(500, 200);
        try (WebhookReceiver hanging = new WebhookReceiver()) {
            hanging.answer(500, WebhookReceiver.HANG);
            promotionScene(hanging.url("/hooks/hangs"));
            promotionScene(receiver.url("/hooks/healthy"));
            assertThat(hanging.await(2, 10_000)).as("the hanging target's retry is in progress").hasSize(2);
            List<WebhookReceiver.Received> hooks = receiver.await(2, 15_000);
            assertThat(hooks).hasSize(2);
            // the schedule's delay is 300 ms; behind the hanging attempt it would be its 10 s read time-out
            assertThat(hooks.get(1).arrivedAtMillis() - hooks.get(0).arrivedAtMillis()).isLessThan(3_000);
        }
    }

    @Test
    void twentyHangingTargetsDoNotDelayAHealthyOne() throws Exception {
        List<WebhookReceiver> hanging = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                WebhookReceiver target = new WebhookReceiver();
                target.answer(WebhookReceiver.HANG);
                hanging.add(target);
                promotionScene(target.url("/hooks/hangs"));
            }
            for (WebhookReceiver target : hanging) {
                // (on a slow machine the first ones may already be on their retry, 10 s later)
                assertThat(target.await(1, 10_000)).as("every hanging target holds an attempt").isNotEmpty();
            }
            receiver = new WebhookReceiver();
            Scene scene = promotionScene(receiver.url("/hooks/healthy"));
            List<WebhookReceiver.Received> hooks = receiver.await(1, 15_000);
            assertThat(hooks).hasSize(1);
            assertThat(hooks.get(0).arrivedAtMillis() - scene.droppedAtMillis()).isLessThan(3_000);
        } finally {
            hanging.forEach(WebhookReceiver::close);
        }
    }

    @Test
    void anAnswerThatNeverEndsIsCutAtTheAttemptsDeadlineAndRetried() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(WebhookReceiver.DRIP, 200);
        promotionScene(receiver.url("/hooks/drips"));
        List<WebhookReceiver.Received> hooks = receiver.await(2, 25_000);
        assertThat(hooks).hasSize(2);
        // each read gets a byte within the 10 s read time-out; only the 15 s deadline of the whole attempt ends it
        long cut = hooks.get(1).arrivedAtMillis() - hooks.get(0).arrivedAtMillis();
        assertThat(cut).isBetween(14_500L, 18_000L);
        // the receiver notices on its next byte (2 s apart) that the service hung up
        Background.eventually(Duration.ofSeconds(5), () -> assertThat(receiver.hangUps()).hasSize(1));
        Background.throughout(Duration.ofMillis(1_500),
                () -> assertThat(receiver.received()).as("nothing after the success").hasSize(2));
    }

    @Test
    void aFailingTargetsCircuitOpensForEveryDeliveryToItThenAProbeClosesIt() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(500);
        List<Waiting> scenes = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // three students' subscriptions to one target (the circuit is per callback URL: TargetIsolationTest)
            scenes.add(waitingFor(receiver.url("/hooks/students")));
        }
        // dropped together, so no delivery runs out of attempts before the circuit opens
        support.Concurrently.run(3, i -> {
            scenes.get(i).drop();
            return null;
        });
        // 3 deliveries × 4 attempts 300 ms apart would be 12 attempts within about a second
        receiver.await(5, 10_000);
        int whenOpened = Background.settled(() -> receiver.received().size(), Duration.ofMillis(500));
        assertThat(whenOpened).as("5 failures open the circuit; attempts begun before that still end")
                .isBetween(5, 8);
        Background.throughout(Duration.ofMillis(1_500),
                () -> assertThat(receiver.received()).as("no attempt while the circuit is open").hasSize(whenOpened));

        receiver.answer(200);
        long healed = System.currentTimeMillis();
        Background.eventually(Duration.ofSeconds(15), () -> assertThat(receiver.received().stream()
                .filter(hook -> hook.arrivedAtMillis() >= healed).map(hook -> hook.header("webhook-id")).distinct())
                .as("the probe closed the circuit; every delivery went out").hasSize(3));
        int total = receiver.received().size();
        Background.throughout(Duration.ofSeconds(1),
                () -> assertThat(receiver.received()).as("nothing twice after a success").hasSize(total));
    }

    @Test
    void aTargetThatRefusesConnectionsBecomesADeadLetterSayingSo() throws Exception {
        receiver = new WebhookReceiver();
        int closed = TestService.freePort();
        String target = "http://127.0.0.1:" + closed + "/hooks/nobody";
        NotifyBuilder everyAttempt = attemptsTo(running.service.camelContext(), target, 4);
        Scene scene = promotionScene(target);
        JsonNode letter = deadLetterAfter(everyAttempt, scene);
        assertThat(letter.get("target").asText()).isEqualTo(target);
        assertThat(letter.get("lastError").asText()).isEqualTo("connection refused");
    }

    @Test
    void aWebhookAnswering410IsDisabledAndEmailGoesOn() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answer(410);
        Scene scene = promotionScene(receiver.url("/hooks/gone"));
        receiver.await(1, 15_000);
        awaitMail(scene.email(), 1);
        // a second event for the same subscription: the email comes, the webhook does not
        running.api.delete("/instructor/classes/" + scene.classId() + "/students/" + scene.waiting().id(),
                scene.instructor());
        awaitMail(scene.email(), 2);
        Background.throughout(Duration.ofMillis(1_500), () -> assertThat(receiver.received()).hasSize(1));
        assertThat(deadLetterFor(scene)).isNull();
        JsonNode listed = running.api.get("/student/subscriptions",
                scene.waiting().token()).json().get("subscriptions").get(0);
        assertThat(listed.get("callbackUrl").asText()).isEqualTo(scene.hookUrl());
        assertThat(listed.get("webhookDisabled").asBoolean()).isTrue();

        // subscribing again re-enables it
        assertThat(running.api.post("/student/subscribe/" + scene.classId(), scene.waiting().token(),
                Map.of("callbackUrl", scene.hookUrl())).status()).isEqualTo(200);
        assertThat(running.api.get("/student/subscriptions", scene.waiting().token()).json().get("subscriptions").get(0)
                .get("webhookDisabled").asBoolean()).isFalse();
    }

    @Test
    void anAdministrativeDropAndAClassRemovalAreEventsToo() throws Exception {
        receiver = new WebhookReceiver();
        Scene scene = promotionScene(receiver.url("/hooks/events"));
        receiver.await(1, 15_000);
        running.api.delete("/instructor/classes/" + scene.classId() + "/students/" + scene.waiting().id(),
                scene.instructor());
        receiver.await(2, 15_000);
        running.api.delete("/registrar/classes/" + scene.classId(), running.campus.registrar);
        List<WebhookReceiver.Received> hooks = receiver.await(3, 15_000);
        assertThat(hooks.stream().map(h -> type(h.body()))).containsExactly("enrolled", "dropped", "class-removed");
        assertThat(awaitMail(scene.email(), 3).stream().map(DeliveryTest::subject))
                .containsExactlyInAnyOrder("New Enrollment", "Dropped from a class", "Class removed");
    }

    /** A full class of 1 whose waiting student subscribed (email + webhook), then the seated student drops. */
    record Scene(long classId, Student waiting, String email, String secret, String instructor, String hookUrl,
                 long droppedAtMillis) {
    }

    /** A full class with a subscribed student waiting; {@code drop} frees the seat, which promotes them. */
    record Waiting(long classId, Student seated, Student waiting, String email, String secret, String instructor,
                   String hookUrl) {

        Scene drop() {
            long dropped = System.currentTimeMillis();
            assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
            return new Scene(classId, waiting, email, secret, instructor, hookUrl, dropped);
        }
    }

    private static Scene promotionScene(String hookUrl) {
        return waitingFor(hookUrl).drop();
    }

    private static Waiting waitingFor(String hookUrl) {
        Campus.Instructor instructor = running.campus.instructor();
        long classId = running.campus.classOf(instructor, 1).get("id").asLong();
        Student seated = running.campus.student();
        Student waiting = running.campus.student();
        running.campus.enroll(seated, classId);
        running.campus.enroll(waiting, classId);
        String email = "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
        Api.Response subscribed = running.api.post("/student/subscribe/" + classId, waiting.token(),
                Map.of("email", email, "callbackUrl", hookUrl));
        assertThat(subscribed.status()).isEqualTo(201);
        return new Waiting(classId, seated, waiting, email, subscribed.json().get("secret").asText(),
                instructor.token(), hookUrl);
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String type(String body) {
        try {
            return JSON.readTree(body).get("type").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Done when {@code count} attempts of deliveries to {@code target} have ended, whatever their outcome (a
     * delivery parked without an attempt does not count) on the service whose Camel this is; create it before the
     * event.
     */
    static NotifyBuilder attemptsTo(org.apache.camel.CamelContext camel, String target, int count) {
        return new NotifyBuilder(camel).fromRoute("attempt-delivery")
                .filter(exchange -> Attempt.of(exchange) != null
                        && Attempt.of(exchange).delivery().target().equals(target))
                .whenDone(count).create();
    }

    /** The scene's dead letter, as the registrar lists it once the webhook's last attempt has ended. */
    private static JsonNode deadLetterAfter(NotifyBuilder lastAttempt, Scene scene) {
        assertThat(lastAttempt.matches(15, TimeUnit.SECONDS)).as("the webhook's attempts ended").isTrue();
        JsonNode letter = deadLetterFor(scene);
        assertThat(letter).isNotNull();
        return letter;
    }

    private static JsonNode deadLetterFor(Scene scene) {
        for (JsonNode letter : running.api.get("/registrar/dead-letters",
                running.campus.registrar).json().get("deadLetters")) {
            if (letter.get("target").asText().equals(scene.hookUrl())) {
                return letter;
            }
        }
        return null;
    }
}
