package notify;

import static notify.TargetIsolationTest.awaitPaths;
import static notify.TargetIsolationTest.receivedPaths;
import static notify.TargetIsolationTest.removeClassSubscribedBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    WebhookReceiver receiver;

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void noMoreThanTheCeilingIsInFlightAtAHostWhateverItsTargets() throws Exception {
        receiver = new WebhookReceiver();
        receiver.answerAfter(400);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            paths.add("/slow/" + i);
        }
        removeClassSubscribedBy(running.campus, paths.stream().map(receiver::url).toList());
        awaitPaths(receiver, paths, 30_000);
        Thread.sleep(1_000);
        assertThat(receiver.received()).as("each target's webhook once").hasSize(12);
        assertThat(receivedPaths(receiver)).containsExactlyInAnyOrderElementsOf(paths);
        assertThat(receiver.mostInFlight()).as("attempts in flight at the host").isLessThanOrEqualTo(3)
                .as("the ceiling is used, not one at a time").isGreaterThanOrEqualTo(2);
    }
}
