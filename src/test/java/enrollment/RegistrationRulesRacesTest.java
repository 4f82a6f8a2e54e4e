package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.Concurrently;
import support.RunningService;

/**
 * docs/api.md "Registration rules": atomic per student, also across instances. Requests of one student sent at the
 * same moment that would each pass alone but not together (two classes at the same time; three 3-credit classes under
 * a 6-credit maximum) give as many successes as fit and a 409 for the rest, on one instance and split over two
 * instances sharing DynamoDB and Redis; what is stored agrees with the answers.
 */
class RegistrationRulesRacesTest {

    @RegisterExtension
    static final RunningService both = RunningService.pair("rules", Map.of("MAX_CREDITS", "6"));

    @Test
    void twoClassesAtTheSameTimeAtOnceOnOneInstance() throws Exception {
        sameTime(List.of(both.campus.api, both.campus.api));
    }

    @Test
    void twoClassesAtTheSameTimeAtOnceOverTwoInstances() throws Exception {
        sameTime(both.instances);
    }

    @Test
    void threeClassesOfThreeCreditsUnderSixAtOnceOnOneInstance() throws Exception {
        credits(List.of(both.campus.api));
    }

    @Test
    void threeClassesOfThreeCreditsUnderSixAtOnceOverTwoInstances() throws Exception {
        credits(both.instances);
    }

    /** Ten rounds: each a new student sending two enrolls of overlapping classes at the same moment. */
    private static void sameTime(List<Api> apis) throws Exception {
        for (int round = 0; round < 10; round++) {
            List<Long> classes = List.of(
                    both.campus.newClass(5, RegistrationRulesTest.meets("TR", "10:00", "11:15")),
                    both.campus.newClass(5, RegistrationRulesTest.meets("R", "11:00", "12:00")));
            Student student = both.campus.student();
            List<Api.Response> answers = Concurrently.run(2, i ->
                    apis.get(i % apis.size()).post("/student/enrollments/" + classes.get(i), student.token(), null));
            assertThat(answers).extracting(Api.Response::status).containsExactlyInAnyOrder(201, 409);
            Api.Response refused = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
            assertThat(refused.json().get("code").asText()).isEqualTo("time-conflict");
            assertThat(RegistrationRulesTest.enrolledIn(both.campus.api, student)).hasSize(1);
            assertThat(enrolledCount(classes.get(0)) + enrolledCount(classes.get(1))).isEqualTo(1);
        }
    }

    /** Five rounds: each a new student sending three 3-credit enrolls at the same moment, under a maximum of 6. */
    private static void credits(List<Api> apis) throws Exception {
        for (int round = 0; round < 5; round++) {
            List<Long> classes = List.of(both.campus.newClass(5), both.campus.newClass(5), both.campus.newClass(5));
            Student student = both.campus.student();
            List<Api.Response> answers = Concurrently.run(3, i ->
                    apis.get(i % apis.size()).post("/student/enrollments/" + classes.get(i), student.token(), null));
            assertThat(answers).extracting(Api.Response::status).containsExactlyInAnyOrder(201, 201, 409);
            Api.Response refused = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
            assertThat(refused.json().get("code").asText()).isEqualTo("credit-limit");
            assertThat(refused.json().get("maxCredits").asInt()).isEqualTo(6);
            assertThat(RegistrationRulesTest.enrolledIn(both.campus.api, student)).hasSize(2);
            assertThat(both.campus.api.get("/student/registration", student.token()).json().get("credits").asInt())
                    .isEqualTo(6);
            assertThat(classes.stream().mapToInt(RegistrationRulesRacesTest::enrolledCount).sum()).isEqualTo(2);
        }
    }

    private static int enrolledCount(long classId) {
        return both.campus.showClass(classId).get("enrolled").asInt();
    }
}
