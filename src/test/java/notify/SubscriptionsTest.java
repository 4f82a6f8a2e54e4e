package notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Api;
import support.Campus.Student;
import support.RunningService;

/** Subscribing, listing and unsubscribing, and every refused target, with private webhook targets forbidden. */
class SubscriptionsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void aStudentSubscribesReplacesListsAndUnsubscribes() {
        long classId = running.campus.newClass(3);
        Student student = running.campus.student();
        Api.Response created = running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("email", "ada@example.edu", "callbackUrl", "https://93.184.216.34/hooks/enrollment"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("classId").asLong()).isEqualTo(classId);
        assertThat(created.json().get("email").asText()).isEqualTo("ada@example.edu");
        assertThat(created.json().get("secret").asText()).startsWith("whsec_").hasSize(6 + 44);

        Api.Response replaced = running.api.send("POST", "/student/subscribe/" + classId, student.token(), null,
                Map.of("email_header", "ada.lovelace@example.edu"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("email").asText()).isEqualTo("ada.lovelace@example.edu");
        assertThat(replaced.json().get("callbackUrl").isNull()).isTrue();
        assertThat(replaced.json().get("secret").asText()).isNotEqualTo(created.json().get("secret").asText());

        JsonNode listed = running.api.get("/student/subscriptions", student.token()).json().get("subscriptions");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("classId").asLong()).isEqualTo(classId);
        assertThat(listed.get(0).get("title").asText()).isEqualTo("Web Back-End Engineering");
        assertThat(listed.get(0).get("email").asText()).isEqualTo("ada.lovelace@example.edu");
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(running.api.get("/student/subscriptions",
                running.campus.student().token()).json().get("subscriptions")).isEmpty();

        Api.Response removed = running.api.delete("/student/unsubscribe/" + classId, student.token());
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("status").asText()).isEqualTo("unsubscribed");
        assertThat(code(running.api.delete("/student/unsubscribe/" + classId, student.token()),
                404)).isEqualTo("not-subscribed");
        assertThat(running.api.get("/student/subscriptions", student.token()).json().get("subscriptions")).isEmpty();
    }

    @Test
    void aSubscriptionNeedsATargetAClassAndAValidEmail() {
        long classId = running.campus.newClass(3);
        Student student = running.campus.student();
        assertThat(code(running.api.post("/student/subscribe/" + classId, student.token(), Map.of()), 400))
                .isEqualTo("missing-target");
        assertThat(code(running.api.post("/student/subscribe/" + classId, student.token(), null), 400))
                .isEqualTo("missing-target");
        assertThat(code(running.api.post("/student/subscribe/999999999", student.token(),
                Map.of("email", "a@example.edu")), 404)).isEqualTo("class-not-found");
        assertThat(code(running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("email", "a@example.edu\r\nBcc: everyone@example.edu")), 400)).isEqualTo("invalid-email");
        assertThat(code(running.api.send("POST", "/student/subscribe/" + classId, student.token(), null,
                Map.of("email_header", "not-an-address")), 400)).isEqualTo("invalid-email");
        assertThat(code(running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("callbackUrl", "not a url")), 400)).isEqualTo("invalid-url");
        assertThat(running.api.get("/student/subscriptions", student.token()).json().get("subscriptions")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook", "http://0.0.0.0/hook", "http://localhost:8080/hook", "file:///etc/passwd",
            "http://user:pw@93.184.216.34/hook", "http://192.168.1.10/hook", "http://[fe80::1]/hook"})
    void aNonPublicOrUnsafeWebhookTargetIsForbiddenAndNothingIsStored(String target) {
        long classId = running.campus.newClass(3);
        Student student = running.campus.student();
        assertThat(code(running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("email", "a@example.edu", "callbackUrl", target)), 400)).isEqualTo("forbidden-target");
        assertThat(running.api.get("/student/subscriptions", student.token()).json().get("subscriptions")).isEmpty();
    }

    static String code(Api.Response answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        return answer.json().get("code").asText();
    }
}
