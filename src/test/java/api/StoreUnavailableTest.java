package api;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.RedisServer;
import support.TestService;
import support.Tokens;

/**
 * A store that is down or not ready is {@code 503 unavailable} with {@code Retry-After}, never {@code 500} (API.md
 * "Errors"), and the same requests succeed once it is back: Debian's redis-server, killed and started again, and
 * started again with a data set that takes seconds to load (answering {@code LOADING} meanwhile).
 */
class StoreUnavailableTest {

    static final Tokens tokens = new Tokens();
    static RedisServer redis;
    static EnrollmentService service;
    static Campus campus;
    static Student student;
    static long classId;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        service = TestService.start(Map.of("REDIS_URL", redis.url(), "JWT_PRIVATE_KEY_FILE", tokens.pemFile()));
        campus = new Campus(new Api(service), tokens);
        classId = campus.newClass(1);
        campus.enroll(campus.student(), classId);
        student = campus.student();
        assertThat(campus.enroll(student, classId).status()).as("on the waiting list").isEqualTo(202);
        assertThat(campus.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("email", "waiting@example.edu")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Requests whose answer needs Redis: the waiting list, the subscriptions, joining another class's list. */
    static List<Supplier<Api.Response>> requestsNeedingRedis() {
        return List.of(
                () -> campus.api.get("/student/waitlist/" + classId, student.token()),
                () -> campus.api.get("/student/subscriptions", student.token()),
                () -> campus.api.post("/student/subscribe/" + classId, student.token(),
                        Map.of("email", "waiting@example.edu")));
    }

    @Test
    void redisKilledIs503UnavailableWithRetryAfterAndRequestsSucceedOnceItIsBack() throws Exception {
        redis.kill();
        for (Supplier<Api.Response> request : requestsNeedingRedis()) {
            assertUnavailable(request.get());
        }

        redis.startAgain();
        for (Supplier<Api.Response> request : requestsNeedingRedis()) {
            assertThat(succeedsWithin(request, 10_000).status()).isBetween(200, 201);
        }
        assertThat(campus.api.get("/student/waitlist/" + classId, student.token()).json().get("position").asInt())
                .as("the list survived the restart").isEqualTo(1);
    }

    @Test
    void redisStillLoadingItsDataIs503UnavailableAndRequestsSucceedOnceItIsLoaded() throws Exception {
        redis.fill(40_000);
        redis.kill();
        redis.startAgainLoadingSlowly(200);   // 40,000 keys × 200 µs: about 8 s of LOADING
        // for 3 s of the loading, every answer is 503 (the pool's connections to the killed server fail first,
        // then every new one meets LOADING)
        long end = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < end) {
            for (Supplier<Api.Response> request : requestsNeedingRedis()) {
                assertUnavailable(request.get());
            }
        }
        assertThat(redis.cli("GET", "filler:1")).as("the answers above met a real LOADING").startsWith("LOADING");

        for (Supplier<Api.Response> request : requestsNeedingRedis()) {
            assertThat(succeedsWithin(request, 30_000).status()).isBetween(200, 201);
        }
        assertThat(redis.answersPing()).isTrue();
    }

    private static void assertUnavailable(Api.Response answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.json().get("code").asText()).isEqualTo("unavailable");
        assertThat(answer.header("Retry-After")).isEqualTo("5");
        assertThat(answer.body()).doesNotContain("Exception", "127.0.0.1", "Jedis");
    }

    /** The request's answer once it is not a 503 (the store back), failing after {@code millis}. */
    private static Api.Response succeedsWithin(Supplier<Api.Response> request, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        Api.Response answer = request.get();
        while (answer.status() == 503 && System.currentTimeMillis() < deadline) {
            assertThat(answer.json().get("code").asText()).isEqualTo("unavailable");
            Thread.sleep(200);
            answer = request.get();
        }
        return answer;
    }
}
