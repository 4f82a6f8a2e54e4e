package enrollment;

import static enrollment.RegistrationRulesTest.meets;
import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.MailSink;
import support.RunningService;

/**
 * Swaps over HTTP (docs/api.md "Swaps"): a free seat swaps at once, both or neither, checked as if the dropped class
 * were gone, and the freed seat goes to its list; a full class puts the student on its list with {@code swapFor}, and
 * when their turn comes the drop and the enrollment happen in one step (the email says what was dropped) and the
 * dropped seat is promoted; a student who left the class meanwhile gets an ordinary promotion; refusals change nothing.
 */
class SwapsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void aFreeSeatSwapsAtOnceEvenAtTheSameTimeAndTheFreedSeatGoesToItsList() throws Exception {
        String course = "CPSC " + support.Tokens.freshId();
        long morning = running.campus.newClass(1, Map.of("courseCode", course, "meetings",
                List.of(Map.of("days", "MW", "start", "08:00", "end", "09:15"))));
        // another section of the same course at the same hour: a plain enroll breaks two rules, a swap neither
        long evening = running.campus.newClass(5, Map.of("courseCode", course, "meetings",
                List.of(Map.of("days", "MW", "start", "08:00", "end", "09:15"))));
        Student student = running.campus.enrollNew(morning, 1).get(0);
        Student waiting = running.campus.enrollNew(morning, 1).get(0);
        assertProblem(running.campus.enroll(student, evening), 409, "duplicate-course");

        Api.Response swapped = swap(student, morning, evening);
        assertThat(swapped.status()).as(swapped.toString()).isEqualTo(200);
        assertThat(swapped.json().get("status").asText()).isEqualTo("swapped");
        assertThat(swapped.json().get("dropped").asLong()).isEqualTo(morning);
        assertThat(swapped.json().get("enrolled").asLong()).isEqualTo(evening);
        assertThat(enrolledIn(student)).containsExactly(evening);
        eventually(() -> assertThat(enrolledIn(waiting)).containsExactly(morning));
        running.campus.assertStored(morning, 1, 0);
        running.campus.assertStored(evening, 1, 0);
        JsonNode dropped = running.api.get("/instructor/classes/" + morning + "/dropped",
                owner(morning)).json().get("students");
        assertThat(dropped).hasSize(1);
        assertThat(dropped.get(0).get("id").asLong()).isEqualTo(student.id());
    }

    @Test
    void refusalsChangeNothing() {
        long seated = running.campus.newClass(5, Map.of("credits", 12));
        long other = running.campus.newClass(5, Map.of("credits", 6));
        long heavy = running.campus.newClass(5, Map.of("credits", 12));
        Student student = running.campus.student();
        assertThat(running.campus.enroll(student, seated).status()).isEqualTo(201);
        assertThat(running.campus.enroll(student, other).status()).isEqualTo(201);

        assertProblem(swap(student, heavy, other), 404, "not-enrolled");
        assertProblem(swap(student, seated, 999_999_999L), 404, "class-not-found");
        assertProblem(swap(student, seated, seated), 400, "invalid-request");
        assertProblem(swap(student, seated, other), 409, "already-enrolled");
        // 6 + 12 = 18 fits the maximum only because 12 are dropped; 12 + 12 + 6 - 6 does not
        Api.Response overLimit = swap(student, other, heavy);
        assertProblem(overLimit, 409, "credit-limit");
        assertThat(overLimit.json().get("credits").asInt()).isEqualTo(18);
        assertProblem(running.api.post("/student/swaps", student.token(), Map.of("dropClassId", seated)), 400,
                "invalid-request");
        assertThat(enrolledIn(student)).containsExactlyInAnyOrder(seated, other);
        running.campus.assertStored(heavy, 0, 0);
        assertThat(swap(student, seated, heavy).status()).isEqualTo(200);
        assertThat(enrolledIn(student)).containsExactlyInAnyOrder(heavy, other);
    }

    @Test
    void aFullClassWaitsWithTheSwapAndTheTurnDropsAndEnrollsInOneStep() throws Exception {
        long kept = running.campus.newClass(1, meets("F", "14:00", "15:00"));
        long wanted = running.campus.newClass(1, meets("F", "14:30", "15:30"));
        Student student = running.campus.enrollNew(kept, 1).get(0);
        Student waitingForKept = running.campus.enrollNew(kept, 1).get(0);
        Student seatedInWanted = running.campus.enrollNew(wanted, 1).get(0);
        String email = "swap-" + student.id() + "@example.edu";
        assertThat(running.api.post("/student/subscribe/" + wanted, student.token(), Map.of("email", email)).status())
                .isEqualTo(201);

        Api.Response waiting = swap(student, kept, wanted);
        assertThat(waiting.status()).as(waiting.toString()).isEqualTo(202);
        assertThat(waiting.json().get("status").asText()).isEqualTo("waitlisted");
        assertThat(waiting.json().get("classId").asLong()).isEqualTo(wanted);
        assertThat(waiting.json().get("position").asInt()).isEqualTo(1);
        assertThat(waiting.json().get("swapFor").asLong()).isEqualTo(kept);
        assertThat(enrolledIn(student)).as("the class to drop is kept while waiting").containsExactly(kept);
        JsonNode listed = running.api.get("/student/enrollments", student.token()).json().get("waitlisted");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("swapFor").asLong()).isEqualTo(kept);

        assertThat(running.campus.drop(seatedInWanted, wanted).status()).isEqualTo(200);
        eventually(() -> assertThat(enrolledIn(student)).containsExactly(wanted));
        eventually(() -> assertThat(enrolledIn(waitingForKept)).containsExactly(kept));
        running.campus.assertStored(wanted, 1, 0);
        running.campus.assertStored(kept, 1, 0);
        MimeMessage mail = MailSink.awaitMail(email, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("New Enrollment");
        assertThat(mail.getContent().toString()).contains("swap", "class " + kept, "class " + wanted);
    }

    @Test
    void aWaitingSwapWhoseClassWasLeftMeanwhileIsAnOrdinaryPromotion() throws Exception {
        long kept = running.campus.newClass(5);
        long wanted = running.campus.newClass(1);
        Student student = running.campus.student();
        assertThat(running.campus.enroll(student, kept).status()).isEqualTo(201);
        Student seated = running.campus.enrollNew(wanted, 1).get(0);
        assertThat(swap(student, kept, wanted).status()).isEqualTo(202);
        assertThat(running.campus.drop(student, kept).status()).isEqualTo(200);

        assertThat(running.campus.drop(seated, wanted).status()).isEqualTo(200);
        eventually(() -> assertThat(enrolledIn(student)).containsExactly(wanted));
        assertThat(position(student, wanted)).isZero();
        running.campus.assertStored(kept, 0, 0);
    }

    private static List<Long> enrolledIn(Student student) {
        return RegistrationRulesTest.enrolledIn(running.api, student);
    }

    private static int position(Student student, long classId) {
        return RegistrationRulesTest.position(running.api, student, classId);
    }

    private static Api.Response swap(Student student, long dropClassId, long enrollClassId) {
        return running.api.post("/student/swaps", student.token(), Map.of("dropClassId", dropClassId,
                "enrollClassId", enrollClassId));
    }

    private static String owner(long classId) {
        long instructor = running.campus.showClass(classId).get("instructorId").asLong();
        return running.tokens.token(instructor, "Owner", "Instructor");
    }
}
