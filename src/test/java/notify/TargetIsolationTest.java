package notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.Closing;
import support.RunningService;
import support.WebhookReceiver;

/**
 * Many targets on one host (docs/api.md "Delivery"): a callback URL that hangs or fails delays only its own deliveries,
 * never those of another path on the same host:port (HostCeilingTest: the host's own ceiling). Every webhook goes to
 * a real HTTP receiver through the broker and the delivery routes.
 */
class TargetIsolationTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "NOTIFY_RETRY_SCHEDULE", "300ms,300ms,300ms", "NOTIFY_CIRCUIT_OPEN", "20s"));

    @RegisterExtension
    final Closing closing = new Closing();
    WebhookReceiver receiver;

    @ParameterizedTest
    @ValueSource(ints = {20, 200})
    void hangingPathsOnAHostDoNotDelayAHealthyPathOnTheSameHost(int hanging) throws Exception {
        receiver = closing.add(new WebhookReceiver());
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
        receiver = closing.add(new WebhookReceiver());
        receiver.hang("/hang/all");
        removeClassSubscribedBy(running.campus, List.of(receiver.url("/hang/all"), receiver.url("/hang/all"),
                receiver.url("/hang/all"), receiver.url("/hang/all"), receiver.url("/hang/all")));
        assertThat(awaitOn("/hang/all", 1, 15_000)).hasSize(1);
        Background.throughout(Duration.ofSeconds(3), () -> assertThat(receiver.received("/hang/all"))
                .as("five deliveries, one attempt in flight").hasSize(1));
    }

    @Test
    void aTargetsOpenCircuitLeavesAnotherPathOnItsHostAlone() throws Exception {
        receiver = closing.add(new WebhookReceiver());
        receiver.answerOn("/down", 500);
        // three deliveries to one target, at once: 5 failures open its circuit before any runs out of attempts
        removeClassSubscribedBy(running.campus, List.of(receiver.url("/down"), receiver.url("/down"),
                receiver.url("/down")));
        awaitOn("/down", 5, 10_000);
        int whenOpened = Background.settled(() -> receiver.received("/down").size(), Duration.ofMillis(500));
        assertThat(whenOpened).as("5 failures open the circuit; attempts begun before that still end")
                .isBetween(5, 8);

        Promotion promotion = promotionTo(receiver.url("/up"));
        List<WebhookReceiver.Received> delivered = awaitOn("/up", 1, 10_000);
        assertThat(delivered).as("a path on the same host, while the failing path's circuit is open").hasSize(1);
        assertThat(delivered.get(0).arrivedAtMillis() - promotion.droppedAtMillis()).isLessThan(3_000);
        Background.throughout(Duration.ofSeconds(1), () -> assertThat(receiver.received("/down"))
                .as("no attempt to the failing path while its circuit is open").hasSize(whenOpened));
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

    static void awaitPaths(WebhookReceiver receiver, List<String> paths, long timeoutMillis) {
        Background.eventually(Duration.ofMillis(timeoutMillis),
                () -> assertThat(receivedPaths(receiver)).containsAll(paths));
    }

    private Set<String> receivedPaths() {
        return receivedPaths(receiver);
    }

    private List<WebhookReceiver.Received> awaitOn(String path, int count, long timeoutMillis) {
        Background.eventually(Duration.ofMillis(timeoutMillis),
                () -> assertThat(receiver.received(path)).hasSizeGreaterThanOrEqualTo(count));
        return receiver.received(path);
    }
}
