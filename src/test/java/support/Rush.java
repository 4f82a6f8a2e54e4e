package support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import support.Campus.Student;

/** The registration-day scenario of issue 8, run by the tests that put the service on DynamoDB's semantics. */
public final class Rush {

    private Rush() {
    }

    /**
     * 600 students enroll at once in one class of 200, spread over the instances → exactly 200 enrolled, 15
     * waitlisted, 385 {@code class-full}, no 5xx, the class consistent, and the proxy answered conflicts; then 50
     * of the seated drop at once → the 15 waiting are promoted (within seconds of the answers), no 5xx.
     */
    public static void sixHundredOnTwoHundredSeatsThenFiftyDrops(Campus campus, List<Api> instances,
            DynamoDbConflictProxy proxy) throws Exception {
        long classId = campus.newClass(200);
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            students.add(campus.student());
        }
        long conflictsBefore = proxy.counters().transactionConflicts();

        List<Api.Response> answers = Concurrently.run(600, i -> instances.get(i % instances.size())
                .post("/student/enrollments/" + classId, students.get(i).token(), null));

        assertThat(answers).noneMatch(a -> a.status() >= 500);
        assertThat(answers.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting())))
                .containsOnly(Map.entry(201, 200L), Map.entry(202, 15L), Map.entry(409, 385L));
        assertThat(answers.stream().filter(a -> a.status() == 409).map(a -> a.json().get("code").asText()))
                .containsOnly("class-full");
        campus.assertStored(classId, 200, 15);
        assertThat(proxy.counters().transactionConflicts()).as("conflicts the proxy answered")
                .isGreaterThan(conflictsBefore);

        List<Student> seated = new ArrayList<>();
        List<Student> waiting = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int status = answers.get(i).status();
            if (status == 201) {
                seated.add(students.get(i));
            } else if (status == 202) {
                waiting.add(students.get(i));
            }
        }
        List<Api.Response> drops = Concurrently.run(50, i -> instances.get(i % instances.size())
                .delete("/student/enrollments/" + classId, seated.get(i).token()));
        assertThat(drops).allSatisfy(d -> assertThat(d.status()).isEqualTo(200));

        // the drops' answers do not wait for the promotions (API.md): they follow within seconds
        Background.eventually(() -> campus.assertStored(classId, 165, 0));
        for (Student promoted : waiting) {
            JsonNode mine = campus.api.get("/student/enrollments", promoted.token()).json();
            assertThat(mine.get("enrolled")).hasSize(1);
            assertThat(mine.get("waitlisted")).isEmpty();
        }
    }
}
