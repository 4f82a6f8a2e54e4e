package support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The local RabbitMQ node behind RABBITMQ_URL, controlled with {@code rabbitmqctl} as an operator restarts it:
 * {@code stop_app} stops the broker application (every connection dropped, durable queues and persistent messages
 * kept), {@code start_app} starts it again. The node is {@code RABBITMQ_NODENAME}, reached with the environment the
 * caller inherited ({@code ERL_EPMD_PORT}, {@code RABBITMQ_CTL_ERL_ARGS}: what {@code .ci/run} exports).
 */
public final class RabbitMqNode {

    private final Path rabbitmqctl;
    private final String node;

    private RabbitMqNode(Path rabbitmqctl, String node) {
        this.rabbitmqctl = rabbitmqctl;
        this.node = node;
    }

    /**
     * The node named by {@code RABBITMQ_NODENAME}; skips the calling test (JUnit assumption) when it is not set or
     * {@code rabbitmqctl} is not on PATH.
     */
    public static RabbitMqNode fromEnvironment(String neededFor) {
        Path ctl = ServerProcess.requireOnPath("rabbitmqctl", neededFor);
        String node = System.getenv("RABBITMQ_NODENAME");
        Assumptions.assumeTrue(node != null && !node.isBlank(), "RABBITMQ_NODENAME is not set: skipping (needed for "
                + neededFor + " to restart the broker with rabbitmqctl; .ci/run exports it)");
        return new RabbitMqNode(ctl, node);
    }

    /** {@code rabbitmqctl stop_app}: returns once the broker application has stopped. */
    public void stopApp() throws Exception {
        run("stop_app");
    }

    /** {@code rabbitmqctl start_app}: returns once the broker application runs again. */
    public void startApp() throws Exception {
        run("start_app");
    }

    private void run(String command) throws Exception {
        StringBuilder output = new StringBuilder();
        int status = ServerProcess.run(List.of(rabbitmqctl.toString(), "-q", "-n", node, command), Map.of(),
                Duration.ofSeconds(90), output);
        if (status != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " exited with " + status + ": " + output);
        }
    }
}
