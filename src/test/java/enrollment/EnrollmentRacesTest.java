package enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.Concurrently;
import support.RunningService;

/**
 * The rules under real concurrent requests, with two service instances sharing DynamoDB and Redis the way two
 * JVMs behind a load balancer would.
 */
class EnrollmentRacesTest {

    @RegisterExtension
    static final RunningService both = RunningService.pair("race", Map.of());

    @Test
    void a120StudentRushOnTwentySeatsSeatsTwentyWaitlistsFifteenAndRefusesTheRest() throws Exception {
        long classId = both.campus.newClass(20);
        Map<Integer, Long> statuses = rush(classId, List.of(both.campus.api));
        assertThat(statuses).containsEntry(201, 20L).containsEntry(202, 15L).containsEntry(409, 85L);
        both.campus.assertStored(classId, 20, 15);
    }

    @Test
    void theSameRushSpreadOverTwoInstancesGivesTheSameCounts() throws Exception {
        long classId = both.campus.newClass(20);
        Map<Integer, Long> statuses = rush(classId, both.instances);
        assertThat(statuses).containsEntry(201, 20L).containsEntry(202, 15L).containsEntry(409, 85L);
        both.campus.assertStored(classId, 20, 15);
    }

    @Test
    void aStudentRacingOntoFiveFullListsLandsOnExactlyThree() throws Exception {
        List<Long> classes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long classId = both.campus.newClass(1);
            both.campus.enroll(both.campus.student(), classId);
            classes.add(classId);
        }
        Student student = both.campus.student();
        List<Api.Response> answers = Concurrently.run(classes.size(), i ->
                both.instances.get(i % 2).post("/student/enrollments/" + classes.get(i), student.token(), null));
        assertThat(answers.stream().filter(a -> a.status() == 202)).hasSize(3);
        assertThat(answers.stream().filter(a -> a.status() == 409)
                .map(a -> a.json().get("code").asText())).containsExactly("waitlist-limit", "waitlist-limit");
        assertThat(both.campus.api.get("/student/enrollments", student.token()).json().get("waitlisted")).hasSize(3);
    }

    @Test
    void tenConcurrentDropsPromoteTheFirstTenWaitingInArrivalOrder() throws Exception {
        long classId = both.campus.newClass(10);
        List<Student> seated = new ArrayList<>();
        List<Student> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Student student = both.campus.student();
            assertThat(both.campus.enroll(student, classId).status()).isEqualTo(201);
            seated.add(student);
        }
        for (int i = 0; i < 15; i++) {
            Student student = both.campus.student();
            assertThat(both.campus.enroll(student, classId).json().get("position").asInt()).isEqualTo(i + 1);
            waiting.add(student);
        }

        List<Api.Response> drops = Concurrently.run(10, i ->
                both.instances.get(i % 2).delete("/student/enrollments/" + classId, seated.get(i).token()));
        assertThat(drops).allSatisfy(d -> assertThat(d.status()).isEqualTo(200));

        // the drops' answers do not wait for the promotions: they follow within seconds
        eventually(() -> both.campus.assertStored(classId, 10, 5));
        JsonNode enrolled = both.campus.api.get("/registrar/classes/" + classId, both.campus.registrar).json();
        assertThat(enrolled.get("enrolled").asInt()).isEqualTo(10);
        for (int i = 0; i < 15; i++) {
            JsonNode mine = both.campus.api.get("/student/enrollments", waiting.get(i).token()).json();
            if (i < 10) {
                assertThat(mine.get("enrolled")).as("waiting student %d", i + 1).hasSize(1);
                assertThat(mine.get("waitlisted")).isEmpty();
            } else {
                assertThat(mine.get("enrolled")).as("waiting student %d", i + 1).isEmpty();
                assertThat(mine.get("waitlisted").get(0).get("position").asInt()).isEqualTo(i - 9);
            }
        }
    }

    /** 120 fresh students enroll at once, spread over the given instances; counts of each status. */
    private static Map<Integer, Long> rush(long classId, List<Api> instances) throws Exception {
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            students.add(both.campus.student());
        }
        List<Api.Response> answers = Concurrently.run(120, i ->
                instances.get(i % instances.size()).post("/student/enrollments/" + classId, students.get(i).token(), null));
        answers.stream().filter(a -> a.status() == 409)
                .forEach(a -> assertThat(a.json().get("code").asText()).isEqualTo("class-full"));
        return answers.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
    }
}
