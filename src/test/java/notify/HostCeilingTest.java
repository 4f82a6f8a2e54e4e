package notify;

import static notify.TargetIsolationTest.awaitPaths;
import static notify.TargetIsolationTest.receivedPaths;
import static notify.TargetIsolationTest.removeClassSubscribedBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Background;
import support.Closing;
import support.RunningService;
import support.WebhookReceiver;

/**
 * A host's own ceiling ({@code WEBHOOK_MAX_PER_HOST}, small here) holds across its targets: a real receiver counts
 * the requests it holds at once. A service of its own, as the ceiling is a start-up setting and the queues are
 * shared by every service running at the same time.
 */
class HostCeilingTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "WEBHOOK_MAX_PER_HOST", "3"));

    @RegisterExtension
    final Closing closing = new Closing();
    WebhookReceiver receiver;

    @Test
    void noMoreThanTheCeilingIsInFlightAtAHostWhateverItsTargets() throws Exception {
        receiver = closing.add(new WebhookReceiver());
        receiver.answerAfter(400);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            paths.add("/slow/" + i);
        }
        removeClassSubscribedBy(running.campus, paths.stream().map(receiver::url).toList());
        awaitPaths(receiver, paths, 30_000);
        Background.throughout(Duration.ofSeconds(1),
                () -> assertThat(receiver.received()).as("each target's webhook once").hasSize(12));
        assertThat(receivedPaths(receiver)).containsExactlyInAnyOrderElementsOf(paths);
        assertThat(receiver.mostInFlight()).as("attempts in flight at the host").isLessThanOrEqualTo(3)
                .as("the ceiling is used, not one at a time").isGreaterThanOrEqualTo(2);
    }
}
