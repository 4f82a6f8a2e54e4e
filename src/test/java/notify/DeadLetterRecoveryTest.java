package notify;

import static notify.TargetIsolationTest.awaitPaths;
import static notify.TargetIsolationTest.removeClassSubscribedBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Concurrently;
import support.Background;
import support.Closing;
import support.RunningService;
import support.WebhookReceiver;

/**
 * Recovering everything that failed during a receiver's outage in one call ({@code POST
 * /registrar/dead-letters/replay}): each matching dead letter is tried again from the start of its schedule and
 * delivered once, also when two registrars ask at the same moment; a bad request changes nothing.
 */
class DeadLetterRecoveryTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "NOTIFY_RETRY_SCHEDULE", "300ms,300ms"));

    @RegisterExtension
    final Closing closing = new Closing();
    WebhookReceiver receiver;

    @Test
    void twoRacingRecoveriesAfterAnOutageDeliverEachDeadLetterOnce() throws Exception {
        Instant since = Instant.now();
        List<String> paths = outage(8);

        receiver.answer(200);
        int before = receiver.received().size();
        List<Api.Response> answers = Concurrently.run(2, i -> replay(Map.of("since", since.toString())));
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(202));
        assertThat(answers.stream().mapToLong(answer -> answer.json().get("replayed").asLong()).sum())
                .as("every dead letter replayed by one of the two").isEqualTo(8);

        Background.eventually(Duration.ofSeconds(15),
                () -> assertThat(receiver.received()).hasSizeGreaterThanOrEqualTo(before + 8));
        Background.throughout(Duration.ofMillis(1_500), () -> {
            List<WebhookReceiver.Received> recovered = receiver.received().subList(before, receiver.received().size());
            assertThat(recovered.stream().map(WebhookReceiver.Received::path).sorted().toList())
                    .as("each dead letter delivered once").isEqualTo(paths.stream().sorted().toList());
        });
        assertThat(deadLettersTo(paths)).isEmpty();
        assertThat(replay(Map.of("since", since.toString())).json().get("replayed").asLong()).isZero();
    }

    @Test
    void onlyTheMatchingDeadLettersAreReplayed() throws Exception {
        Instant since = Instant.now();
        List<String> paths = outage(3);
        receiver.answer(200);
        int before = receiver.received().size();

        assertThat(replay(Map.of("since", since.toString(), "until", since.plusMillis(1).toString()))
                .json().get("replayed").asLong()).as("none failed in the first millisecond").isZero();
        assertThat(replay(Map.of("since", since.toString(), "channel", "email")).json().get("replayed").asLong())
                .as("none is an email").isZero();
        Api.Response one = replay(Map.of("since", since.toString(), "channel", "webhook",
                "target", receiver.url(paths.get(1))));
        assertThat(one.status()).isEqualTo(202);
        assertThat(one.json().get("replayed").asLong()).isEqualTo(1);

        awaitPaths(receiver, List.of(paths.get(1)), 15_000);
        Background.throughout(Duration.ofSeconds(1),
                () -> assertThat(receiver.received().subList(before, receiver.received().size())).hasSize(1));
        assertThat(deadLettersTo(paths).stream().map(letter -> letter.get("target").asText()).toList())
                .containsExactlyInAnyOrder(receiver.url(paths.get(0)), receiver.url(paths.get(2)));
    }

    @Test
    void aBadRequestIsRefusedAndReplaysNothing() throws Exception {
        Instant since = Instant.now();
        List<String> paths = outage(2);
        receiver.answer(200);
        List<Map<String, Object>> bad = List.of(Map.of(), Map.of("until", since.toString()),
                Map.of("since", "yesterday"), Map.of("since", since.toString(), "channel", "unreadable"),
                Map.of("since", since.toString(), "until", since.minusSeconds(1).toString()),
                Map.of("since", since.toString(), "tarjet", "x"));
        for (Map<String, Object> body : bad) {
            Api.Response answer = replay(body);
            assertThat(answer.status()).as("%s", body).isEqualTo(400);
            assertThat(answer.json().get("code").asText()).isEqualTo("invalid-request");
        }
        Background.throughout(Duration.ofSeconds(1), () -> {
            assertThat(deadLettersTo(paths)).as("nothing replayed").hasSize(2);
            assertThat(receiver.received()).as("nothing sent after the outage").hasSize(2 * 3);
        });
    }

    /**
     * A receiver that answers 500 to everything, and one webhook to each of {@code count} of its paths, until each
     * is a dead letter (3 attempts).
     */
    private List<String> outage(int count) throws Exception {
        receiver = closing.add(new WebhookReceiver());
        receiver.answer(500);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            paths.add("/recover/" + i);
        }
        removeClassSubscribedBy(running.campus, paths.stream().map(receiver::url).toList());
        Background.eventually(Duration.ofSeconds(20), () -> assertThat(deadLettersTo(paths)).hasSize(count));
        return paths;
    }

    private List<JsonNode> deadLettersTo(List<String> paths) {
        List<String> targets = paths.stream().map(receiver::url).toList();
        List<JsonNode> found = new ArrayList<>();
        running.api.get("/registrar/dead-letters", running.campus.registrar).json().get("deadLetters")
                .forEach(letter -> {
                    if (targets.contains(letter.get("target").asText())) {
                        found.add(letter);
                    }
                });
        return found;
    }

    private static Api.Response replay(Map<String, Object> body) {
        return running.api.post("/registrar/dead-letters/replay", running.campus.registrar, new HashMap<>(body));
    }
}
