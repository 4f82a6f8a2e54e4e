package notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.RunningService;
import support.WebhookReceiver;

/**
 * Many targets on one host (API.md "Delivery"): a callback URL that hangs or fails delays only its own deliveries,
 * never those of another path on the same host:port (HostCeilingTest: the host's own ceiling). Every webhook goes to
 * a real HTTP receiver through the broker and the delivery routes.
 */
class TargetIsolationTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "NOTIFY_RETRY_SCHEDULE", "300ms,300ms,300ms", "NOTIFY_CIRCUIT_OPEN", "20s"));

    WebhookReceiver receiver;

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200})
    void hangingPathsOnAHostDoNotDelayAHealthyPathOnTheSameHost(int hanging) throws Exception {
        receiver = new WebhookReceiver();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < hanging; i++) {
            paths.add("/hang/" + i);
            receiver.hang("/hang/" + i);
        }
        removeClassSubscribedBy(running.campus, paths.stream().map(receiver::url).toList());
        awaitPaths(receiver, paths, 60_000);
        assertThat(receivedPaths()).as("every hanging path holds an attempt").containsAll(paths);

        Promotion promotion = promotionTo(receiver.url("/fast"));
        List<WebhookReceiver.Received> healthy = awaitOn("/fast", 1, 15_000);
        assertThat(healthy).hasSize(1);
        assertThat(healthy.get(0).arrivedAtMillis() - promotion.droppedAtMillis())
                .as("the healthy path's webhook, %d hanging paths on its host", hanging).isLessThan(3_000);
        assertThat(healthy.get(0).header("webhook-signature")).isEqualTo(WebhookReceiver.expectedSignature(
                promotion.secret(), healthy.get(0).header("webhook-id"), healthy.get(0).header("webhook-timestamp"),
                healthy.get(0).body()));
    }

    @Test
    void aHangingTargetHoldsOneAttemptHoweverManyDeliveriesItHas() throws Exception {
        receiver = new WebhookReceiver();
        receiver.hang("/hang/all");
        removeClassSubscribedBy(running.campus, List.of(receiver.url("/hang/all"), receiver.url("/hang/all"),
                receiver.url("/hang/all"), receiver.url("/hang/all"), receiver.url("/hang/all")));
        assertThat(awaitOn("/hang/all", 1, 15_000)).hasSize(1);
        Thread.sleep(3_000);
        assertThat(receiver.received("/hang/all")).as("five deliveries, one attempt in flight").hasSize(1);
    }

    @Test
    void aTargetsOpenCircuitLeavesAnotherPathOnItsHostAlone() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answerOn("/down", 500);
        // three deliveries to one target, at once: 5 failures open its circuit before any runs out of attempts
        removeClassSubscribedBy(running.campus, List.of(receiver.url("/down"), receiver.url("/down"),
                receiver.url("/down")));
        awaitOn("/down", 5, 10_000);
        Thread.sleep(500);
        int whenOpened = receiver.received("/down").size();
        assertThat(whenOpened).as("5 failures open the circuit; attempts begun before that still end")
                .isBetween(5, 8);

        Promotion promotion = promotionTo(receiver.url("/up"));
        List<WebhookReceiver.Received> delivered = awaitOn("/up", 1, 10_000);
        assertThat(delivered).as("a path on the same host, while the failing path's circuit is open").hasSize(1);
        assertThat(delivered.get(0).arrivedAtMillis() - promotion.droppedAtMillis()).isLessThan(3_000);
        Thread.sleep(1_000);
        assertThat(receiver.received("/down")).as("no attempt to the failing path while its circuit is open")
                .hasSize(whenOpened);
    }

    /** A promotion whose student subscribed with this callback URL, and when its seat was freed. */
    record Promotion(String secret, long droppedAtMillis) {
    }

    private static Promotion promotionTo(String hookUrl) {
        Campus campus = running.campus;
        long classId = campus.newClass(1);
        Student seated = campus.student();
        Student waiting = campus.student();
        campus.enroll(seated, classId);
        campus.enroll(waiting, classId);
        Api.Response subscribed = campus.api.post("/student/subscribe/" + classId, waiting.token(),
                Map.of("callbackUrl", hookUrl));
        assertThat(subscribed.status()).isEqualTo(201);
        long dropped = System.currentTimeMillis();
        assertThat(campus.drop(seated, classId).status()).isEqualTo(200);
        return new Promotion(subscribed.json().get("secret").asText(), dropped);
    }

    /** One class, a student subscribed to it per callback URL, then the class removed: one webhook per student. */
    static void removeClassSubscribedBy(Campus campus, List<String> hookUrls) {
        long classId = campus.newClass(1);
        for (String hookUrl : hookUrls) {
            Map<String, Object> body = new HashMap<>(Map.of("callbackUrl", hookUrl));
            assertThat(campus.api.post("/student/subscribe/" + classId, campus.student().token(), body).status())
                    .isEqualTo(201);
        }
        assertThat(campus.api.delete("/registrar/classes/" + classId, campus.registrar).status()).isEqualTo(200);
    }

    static Set<String> receivedPaths(WebhookReceiver receiver) {
        return receiver.received().stream().map(WebhookReceiver.Received::path).collect(Collectors.toSet());
    }

    static void awaitPaths(WebhookReceiver receiver, List<String> paths, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!receivedPaths(receiver).containsAll(paths) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    private Set<String> receivedPaths() {
        return receivedPaths(receiver);
    }

    private List<WebhookReceiver.Received> awaitOn(String path, int count, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (receiver.received(path).size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return receiver.received(path);
    }
}
