package notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.Closing;
import support.RunningService;
import support.WebhookReceiver;

/**
 * Rotating a webhook secret (docs/api.md "Subscriptions", Standard Webhooks): during the grace period (3 s here) every
 * attempt carries a signature per valid secret, newest first, so a receiver that knows only the old secret and one
 * that knows only the new one both verify it; after the grace period only the new secret signs.
 */
class SecretRotationTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "WEBHOOK_SECRET_GRACE", "3s"));

    @RegisterExtension
    final Closing closing = new Closing();
    WebhookReceiver receiver;

    @Test
    void bothSecretsVerifyDuringTheGracePeriodAndOnlyTheNewOneAfter() throws Exception {
        receiver = closing.add(new WebhookReceiver());
        Campus campus = running.campus;
        Campus.Instructor instructor = campus.instructor();
        long classId = campus.classOf(instructor, 1).get("id").asLong();
        Student seated = campus.student();
        Student waiting = campus.student();
        campus.enroll(seated, classId);
        campus.enroll(waiting, classId);
        String oldSecret = subscribe(waiting, classId, receiver.url("/rotated"));

        long before = System.currentTimeMillis();
        Api.Response rotated = campus.api.post("/student/subscriptions/" + classId + "/secret", waiting.token(), null);
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("classId").asLong()).isEqualTo(classId);
        String newSecret = rotated.json().get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        Instant expires = Instant.parse(rotated.json().get("previousSecretExpiresAt").asText());
        assertThat(expires.toEpochMilli() - before).isBetween(2_900L, 4_000L);

        // within the grace period: the promotion's webhook
        assertThat(campus.drop(seated, classId).status()).isEqualTo(200);
        WebhookReceiver.Received during = receiver.await(1, 15_000).get(0);
        assertThat(during.arrivedAtMillis()).isLessThan(expires.toEpochMilli());
        assertThat(signatures(during)).as("newest first").hasSize(2)
                .first().isEqualTo(expected(newSecret, during));
        assertThat(verifies(oldSecret, during)).as("a receiver that knows only the old secret").isTrue();
        assertThat(verifies(newSecret, during)).as("a receiver that knows only the new secret").isTrue();

        // after it: the administrative drop's webhook
        Background.after(expires.plusMillis(200));
        assertThat(running.api.delete("/instructor/classes/" + classId + "/students/" + waiting.id(),
                instructor.token()).status()).isEqualTo(200);
        WebhookReceiver.Received after = receiver.await(2, 15_000).get(1);
        assertThat(signatures(after)).containsExactly(expected(newSecret, after));
        assertThat(verifies(oldSecret, after)).as("the old secret no longer verifies").isFalse();
    }

    @Test
    void atMostFiveSecretsSignAtOnceNewestFirst() throws Exception {
        receiver = closing.add(new WebhookReceiver());
        Student student = running.campus.student();
        long classId = running.campus.newClass(1);
        List<String> secrets = new ArrayList<>(List.of(subscribe(student, classId, receiver.url("/many"))));
        for (int i = 0; i < 6; i++) {
            Api.Response rotated = running.api.post("/student/subscriptions/" + classId + "/secret", student.token(),
                    null);
            assertThat(rotated.status()).isEqualTo(200);
            secrets.add(0, rotated.json().get("secret").asText());
        }
        assertThat(running.api.delete("/registrar/classes/" + classId, running.campus.registrar).status())
                .isEqualTo(200);
        WebhookReceiver.Received hook = receiver.await(1, 15_000).get(0);
        List<String> expected = new ArrayList<>();
        for (String secret : secrets.subList(0, 5)) {
            expected.add(expected(secret, hook));
        }
        assertThat(signatures(hook)).containsExactlyElementsOf(expected);
    }

    @Test
    void subscribingAgainEndsEveryEarlierSecretAtOnce() throws Exception {
        receiver = closing.add(new WebhookReceiver());
        Student student = running.campus.student();
        long classId = running.campus.newClass(1);
        String first = subscribe(student, classId, receiver.url("/again"));
        assertThat(running.api.post("/student/subscriptions/" + classId + "/secret", student.token(), null)
                .status()).isEqualTo(200);
        Api.Response again = running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("callbackUrl", receiver.url("/again")));
        assertThat(again.status()).isEqualTo(200);
        String latest = again.json().get("secret").asText();
        assertThat(running.api.delete("/registrar/classes/" + classId, running.campus.registrar).status())
                .isEqualTo(200);
        WebhookReceiver.Received hook = receiver.await(1, 15_000).get(0);
        assertThat(signatures(hook)).containsExactly(expected(latest, hook));
        assertThat(verifies(first, hook)).isFalse();
    }

    @Test
    void rotatingWithoutASubscriptionIsNotSubscribed() {
        Student student = running.campus.student();
        long classId = running.campus.newClass(1);
        Api.Response answer = running.api.post("/student/subscriptions/" + classId + "/secret", student.token(), null);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("code").asText()).isEqualTo("not-subscribed");
        // and creates no subscription
        assertThat(running.api.get("/student/subscriptions", student.token()).json().get("subscriptions")).isEmpty();
    }

    private static String subscribe(Student student, long classId, String hookUrl) {
        Api.Response subscribed = running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("callbackUrl", hookUrl));
        assertThat(subscribed.status()).isEqualTo(201);
        return subscribed.json().get("secret").asText();
    }

    private static List<String> signatures(WebhookReceiver.Received hook) {
        return Arrays.asList(hook.header("webhook-signature").split(" "));
    }

    private static String expected(String secret, WebhookReceiver.Received hook) throws Exception {
        return WebhookReceiver.expectedSignature(secret, hook.header("webhook-id"), hook.header("webhook-timestamp"),
                hook.body());
    }

    /** What a Standard Webhooks receiver that knows this one secret checks: any of the signatures is its own. */
    private static boolean verifies(String secret, WebhookReceiver.Received hook) throws Exception {
        return signatures(hook).contains(expected(secret, hook));
    }
}
