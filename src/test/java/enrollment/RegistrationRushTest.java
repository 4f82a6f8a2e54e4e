package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Campus.Student;
import support.Concurrently;
import support.DynamoDbConflictProxy;
import support.Rush;
import support.RunningService;
import support.TestService;
import support.TestStores;

/**
 * Registration day on real DynamoDB semantics: two instances behind one "load balancer", DynamoDB Local behind the
 * conflict-emulating proxy (a transaction touching an item another transaction is writing is cancelled with
 * {@code TransactionConflict}, as AWS does), hundreds of students at once.
 */
class RegistrationRushTest {

    static DynamoDbConflictProxy proxy;
    static RunningService both;

    @BeforeAll
    static void start() throws Exception {
        proxy = DynamoDbConflictProxy.start(TestStores.shared().settings().dynamoDbEndpoint())
                .transactionLatency(Duration.ofMillis(5));
        both = RunningService.pair("rush", Map.of("DYNAMODB_ENDPOINT", proxy.endpoint().toString(),
                "DYNAMODB_RETRY_BUDGET", "20s"));
        both.start();
    }

    @AfterEach
    void throttleOff() {
        proxy.throttle(0);
    }

    @AfterAll
    static void stop() throws Exception {
        both.close();
        proxy.close();
    }

    @Test
    void sixHundredStudentsOnTwoHundredSeatsThenFiftyDropsPromoteTheWholeList() throws Exception {
        Rush.sixHundredOnTwoHundredSeatsThenFiftyDrops(both.campus, both.instances, proxy);
    }

    @Test
    void throttlingIsRiddenOutAndOutcomesKeepTheirMeaning() throws Exception {
        long classId = both.campus.newClass(3);
        proxy.throttle(0.3);
        List<Student> students = List.of(both.campus.student(), both.campus.student(), both.campus.student(),
                both.campus.student());
        List<Api.Response> answers = Concurrently.run(4, i ->
                both.instances.get(i % 2).post("/student/enrollments/" + classId, students.get(i).token(), null));
        assertThat(answers.stream().map(Api.Response::status).sorted()).containsExactly(201, 201, 201, 202);
        Student seated = students.get(answers.stream().map(Api.Response::status).toList().indexOf(201));
        Api.Response again = both.campus.enroll(seated, classId);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("already-enrolled");
        proxy.throttle(0);
        both.campus.assertStored(classId, 3, 1);
        assertThat(proxy.counters().throttled()).isPositive();
    }

    @Test
    void throttlingPastTheBudgetIsA503BusyWithRetryAfterAndNothingStored() throws Exception {
        long classId = both.campus.newClass(5);
        Student student = both.campus.student();
        try (EnrollmentService impatient = TestService.start(Map.of("JWT_PRIVATE_KEY_FILE", both.tokens.pemFile(),
                "STORE_PREFIX", both.service.settings().storePrefix(), "DYNAMODB_ENDPOINT", proxy.endpoint().toString(),
                "DYNAMODB_RETRY_BUDGET", "1s"))) {
            proxy.throttle(1.0);
            Api.Response busy = new Api(impatient).post("/student/enrollments/" + classId, student.token(), null);
            proxy.throttle(0);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(busy.json().get("code").asText()).isEqualTo("busy");
            assertThat(busy.header("Retry-After")).isEqualTo("2");
        }
        both.campus.assertStored(classId, 0, 0);
        assertThat(both.campus.enroll(student, classId).status()).as("the same request, sent again").isEqualTo(201);
    }

    @Test
    void aSeatWhoseAnswerWasLostIsStillTheStudentsOwn() {
        long classId = both.campus.newClass(2);
        Student student = both.campus.student();
        long lostBefore = proxy.counters().answersLost();
        proxy.loseAnswers(1);
        Api.Response enrolled = both.campus.enroll(student, classId);
        assertThat(proxy.counters().answersLost()).as("the transaction's answer was lost").isEqualTo(lostBefore + 1);
        // the client sent the same transaction again with its token: applied once, answered as the first
        assertThat(enrolled.status()).isEqualTo(201);
        both.campus.assertStored(classId, 1, 0);
        assertThat(both.campus.enroll(student, classId).json().get("code").asText()).isEqualTo("already-enrolled");
    }

    @Test
    void aTransactionStillInFlightWhenTheBudgetRunsOutIsAwaitedNotAbandoned() throws Exception {
        long classId = both.campus.newClass(2);
        Student student = both.campus.student();
        // DynamoDB answers the transaction only after the request's budget ran out
        try (DynamoDbConflictProxy slow = DynamoDbConflictProxy.start(TestStores.shared().settings().dynamoDbEndpoint())
                .transactionLatency(Duration.ofMillis(1_500));
             EnrollmentService impatient = TestService.start(Map.of("JWT_PRIVATE_KEY_FILE", both.tokens.pemFile(),
                     "STORE_PREFIX", both.service.settings().storePrefix(),
                     "DYNAMODB_ENDPOINT", slow.endpoint().toString(),
                     "DYNAMODB_RETRY_BUDGET", "1s"))) {
            long sent = System.currentTimeMillis();
            Api.Response answer = new Api(impatient).post("/student/enrollments/" + classId, student.token(), null);
            assertThat(System.currentTimeMillis() - sent).as("the attempt in flight was awaited").isGreaterThan(1_400);
            // a 503 here would tell the student "nothing was changed" about a seat DynamoDB then stored
            assertThat(answer.status()).isEqualTo(201);
        }
        both.campus.assertStored(classId, 1, 0);
    }
}
