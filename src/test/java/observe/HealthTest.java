package observe;

import static org.assertj.core.api.Assertions.assertThat;

import embedded.EmbeddedRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.RunningService;

/** Health is UP only while every store answers: a Redis outage turns it DOWN (503), its end turns it UP again. */
class HealthTest {

    // the service's own Redis, which the test stops and starts again
    static final EmbeddedRedis redis = startRedis();
    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("REDIS_URL", redis.endpoint().toString()));

    private static EmbeddedRedis startRedis() {
        try {
            return EmbeddedRedis.start(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aRedisOutageIsA503UntilRedisIsBack() throws Exception {
        Api.Response up = running.api.get("/observe/health", null);
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().get("status").asText()).isEqualTo("UP");

        redis.close();
        Api.Response down = awaitStatus(503);
        assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(down.body()).doesNotContain("127.0.0.1", "Exception");

        redis.startAgain();
        assertThat(awaitStatus(200).json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsArePrometheusText() {
        running.api.get("/observe/health", null);
        Api.Response metrics = running.api.get("/observe/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body()).contains("# TYPE", "camel_exchanges_total");
    }

    private static Api.Response awaitStatus(int status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        Api.Response answer = running.api.get("/observe/health", null);
        while (answer.status() != status && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            answer = running.api.get("/observe/health", null);
        }
        assertThat(answer.status()).isEqualTo(status);
        return answer;
    }
}
