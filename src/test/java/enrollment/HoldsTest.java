package enrollment;

import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Background;
import support.Campus.Student;
import support.RunningService;

/**
 * Holds (docs/api.md "Registration windows and holds") over HTTP: placed, replaced, listed and lifted by the registrar;
 * a held student cannot enroll or join a list but can drop and leave; automatic enrollment passes over them, who
 * keep their place, and lifting their last hold promotes them.
 */
class HoldsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void aHoldBlocksEnrollingAndJoiningAListButNeverDroppingOrLeaving() {
        long seated = running.campus.newClass(5);
        long full = running.campus.newClass(1);
        long other = running.campus.newClass(5);
        running.campus.enrollNew(full, 1);
        Student student = running.campus.registeredStudent();
        assertThat(running.campus.enroll(student, seated).status()).isEqualTo(201);
        assertThat(running.campus.enroll(student, full).status()).isEqualTo(202);

        String holds = "/registrar/students/" + student.id() + "/holds";
        Api.Response placed = put(holds + "/tuition", Map.of("reason", "Tuition unpaid"));
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        assertThat(placed.json().get("code").asText()).isEqualTo("tuition");
        assertThat(placed.json().get("reason").asText()).isEqualTo("Tuition unpaid");
        String since = placed.json().get("since").asText();
        Api.Response replaced = put(holds + "/tuition", Map.of("reason", "Tuition of spring unpaid"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("since").asText()).isEqualTo(since);
        assertThat(put(holds + "/advising", Map.of("reason", "See your advisor")).status()).isEqualTo(201);
        assertProblem(put(holds + "/Not_A_Code", Map.of("reason", "x")), 400, "invalid-request");
        assertProblem(put(holds + "/late-fee", Map.of()), 400, "invalid-request");

        JsonNode listed = running.api.get(holds, running.campus.registrar).json().get("holds");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("code").asText()).isEqualTo("advising");
        assertThat(listed.get(1).get("reason").asText()).isEqualTo("Tuition of spring unpaid");
        assertThat(listed.get(1).get("since").asText()).isEqualTo(since);

        Api.Response blocked = running.campus.enroll(student, other);
        assertProblem(blocked, 403, "registration-hold");
        assertThat(blocked.json().get("detail").asText()).contains("Tuition of spring unpaid", "See your advisor");
        JsonNode mine = running.api.get("/student/registration", student.token()).json();
        assertThat(mine.get("open").asBoolean()).isFalse();
        assertThat(mine.get("holds")).hasSize(2);
        assertThat(mine.get("holds").get(0).has("since")).isFalse();
        assertThat(mine.get("holds").get(1).get("reason").asText()).isEqualTo("Tuition of spring unpaid");

        assertThat(running.campus.drop(student, seated).status()).isEqualTo(200);
        assertProblem(running.campus.enroll(student, seated), 403, "registration-hold");
        assertThat(running.api.delete("/student/waitlist/" + full, student.token()).status()).isEqualTo(200);
        running.campus.assertStored(seated, 0, 0);
        running.campus.assertStored(full, 1, 0);
        running.campus.assertStored(other, 0, 0);

        assertProblem(running.api.delete(holds + "/library", running.campus.registrar), 404, "not-held");
        Api.Response lifted = running.api.delete(holds + "/tuition", running.campus.registrar);
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.json().get("holds")).hasSize(1);
        assertProblem(running.campus.enroll(student, other), 403, "registration-hold");
        assertThat(running.api.delete(holds + "/advising", running.campus.registrar).json().get("holds")).isEmpty();
        assertThat(running.campus.enroll(student, other).status()).isEqualTo(201);
        assertThat(running.api.get("/student/registration", student.token()).json().get("open").asBoolean()).isTrue();
    }

    @Test
    void automaticEnrollmentPassesOverAHeldStudentWhoKeepsTheirPlaceUntilTheHoldIsLifted() throws Exception {
        long classId = running.campus.newClass(2);
        List<Student> seated = running.campus.enrollNew(classId, 2);
        // the registrar places holds on students who exist only
        Student held = running.campus.registeredStudent();
        assertThat(running.campus.enroll(held, classId).status()).isEqualTo(202);
        List<Student> waiting = new ArrayList<>(List.of(held));
        waiting.addAll(running.campus.enrollNew(classId, 2));
        String hold = "/registrar/students/" + held.id() + "/holds/bursar";
        assertThat(put(hold, Map.of("reason", "Bursar hold")).status()).isEqualTo(201);

        assertThat(running.campus.drop(seated.get(0), classId).status()).isEqualTo(200);
        awaitEnrolled(classId, waiting.get(1));
        assertThat(position(held, classId)).as("the held student keeps their place").isEqualTo(1);
        assertThat(position(waiting.get(2), classId)).isEqualTo(2);

        // nothing free now; then a seat frees while the only one ahead is held: the next one takes it
        assertThat(running.campus.drop(seated.get(1), classId).status()).isEqualTo(200);
        awaitEnrolled(classId, waiting.get(2));
        assertThat(position(held, classId)).isEqualTo(1);
        running.campus.assertStored(classId, 2, 1);

        // a seat frees with only the held student waiting: it stays free, a newcomer queues behind them
        assertThat(running.campus.drop(waiting.get(1), classId).status()).isEqualTo(200);
        // the promotion the drop asked for runs meanwhile and must leave the seat alone
        Background.throughout(Duration.ofSeconds(1), () -> running.campus.assertStored(classId, 1, 1));
        Student newcomer = running.campus.student();
        assertThat(running.campus.enroll(newcomer, classId).status()).isEqualTo(202);
        assertThat(position(newcomer, classId)).isEqualTo(2);

        assertThat(running.api.delete(hold, running.campus.registrar).status()).isEqualTo(200);
        awaitEnrolled(classId, held);
        running.campus.assertStored(classId, 2, 1);
        assertThat(position(newcomer, classId)).isEqualTo(1);
    }

    private static Api.Response put(String path, Object body) {
        return running.api.send("PUT", path, running.campus.registrar, body, Map.of());
    }

    private static int position(Student student, long classId) {
        Api.Response answer = running.api.get("/student/waitlist/" + classId, student.token());
        return answer.status() == 200 ? answer.json().get("position").asInt() : 0;
    }

    /** Promotions run within seconds, not inside the drop's answer. */
    private static void awaitEnrolled(long classId, Student student) {
        Background.eventually(Duration.ofSeconds(15), () -> assertThat(running.api.get("/student/enrollments",
                student.token()).json().get("enrolled")).as("student " + student.id() + " enrolled")
                .extracting(course -> course.get("id").asLong()).contains(classId));
    }
}
