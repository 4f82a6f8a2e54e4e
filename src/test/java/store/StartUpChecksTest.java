package store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.EnrollmentService;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import store.StoreCheck.StoreUnavailableException;
import support.Api;
import support.TestService;
import support.TestStores;
import support.Tokens;

/**
 * What an operator sees when a store is misconfigured: start-up ends with one sentence naming the store, and the
 * broker's node list fails over to a node that answers.
 */
class StartUpChecksTest {

    @Test
    void aDeadFirstBrokerNodeIsSkippedForTheNextOne() throws Exception {
        int nobody = TestService.freePort();
        URI real = URI.create(TestStores.environment(Map.of()).get("RABBITMQ_URL"));
        String cluster = "amqp://" + real.getRawUserInfo() + "@127.0.0.1:" + nobody + real.getRawPath() + ","
                + real;
        try (EnrollmentService service = TestService.start(Map.of("RABBITMQ_URL", cluster))) {
            Api.Response health = new Api(service).get("/observe/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void redisThatIsNotThereEndsStartUpWithOneSentence() throws Exception {
        int nobody = TestService.freePort();
        assertThatThrownBy(() -> TestService.start(Map.of("REDIS_URL", "redis://127.0.0.1:" + nobody)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("Redis at 127.0.0.1:" + nobody + ": nothing accepts connections there (Connection refused)");
    }

    @Test
    void missingTablesEndStartUpWhenTheServiceMayNotCreateThem() {
        String prefix = "absent" + Tokens.freshId() + "-";
        assertThatThrownBy(() -> TestService.start(Map.of("STORE_PREFIX", prefix, "DYNAMODB_CREATE_TABLES", "false")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("DynamoDB at ")
                .hasMessageContaining("table " + prefix + "users does not exist and DYNAMODB_CREATE_TABLES is false");
    }
}
