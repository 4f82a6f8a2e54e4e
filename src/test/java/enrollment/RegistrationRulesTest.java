package enrollment;

import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.RunningService;

/**
 * The registration rules (docs/api.md "Registration rules") over HTTP on one instance: time conflicts (touching times
 * and online classes do not conflict), a second section of a course, the credit maximum, their order, the waiting-list
 * join checked as an enroll is, an offered class counting as an enrolled one, and a promotion that passes over a
 * waiting student who now breaks a rule (they keep their place; the next student takes the seat or the offer).
 */
class RegistrationRulesTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    static Map<String, Object> meets(String days, String start, String end) {
        return Map.of("meetings", List.of(Map.of("days", days, "start", start, "end", end)));
    }

    @Test
    void aClassMeetingAtTheSameTimeIsRefusedButTouchingTimesAndOnlineClassesAreNot() {
        long monday9 = running.campus.newClass(5, meets("MWF", "09:00", "09:50"));
        long overlapping = running.campus.newClass(5, meets("M", "09:30", "09:45"));
        long touching = running.campus.newClass(5, meets("MWF", "09:50", "10:40"));
        long otherDays = running.campus.newClass(5, meets("TR", "09:00", "10:15"));
        long online = running.campus.newClass(5, Map.of());
        Student student = running.campus.student();

        assertThat(running.campus.enroll(student, monday9).status()).isEqualTo(201);
        Api.Response refused = running.campus.enroll(student, overlapping);
        assertProblem(refused, 409, "time-conflict");
        assertThat(ids(refused.json().get("conflictsWith"))).containsExactly(monday9);
        assertThat(refused.json().get("detail").asText()).contains(Long.toString(monday9));
        assertThat(running.campus.enroll(student, touching).status()).isEqualTo(201);
        assertThat(running.campus.enroll(student, otherDays).status()).isEqualTo(201);
        assertThat(running.campus.enroll(student, online).status()).isEqualTo(201);
        running.campus.assertStored(overlapping, 0, 0);

        // a class overlapping two of them names both, sorted
        long wide = running.campus.newClass(5, meets("M", "09:10", "10:00"));
        assertThat(ids(running.campus.enroll(student, wide).json().get("conflictsWith")))
                .containsExactly(monday9, touching);

        // dropping the class that conflicted lets the student in
        assertThat(running.campus.drop(student, monday9).status()).isEqualTo(200);
        Api.Response after = running.campus.enroll(student, overlapping);
        assertThat(after.status()).as(after.toString()).isEqualTo(201);
    }

    @Test
    void aSecondSectionOfTheSameCourseIsRefused() {
        String course = "MATH " + support.Tokens.freshId();
        long first = running.campus.newClass(5, Map.of("courseCode", course));
        long second = running.campus.newClass(5, Map.of("courseCode", course));
        Student student = running.campus.student();
        assertThat(running.campus.enroll(student, first).status()).isEqualTo(201);
        Api.Response refused = running.campus.enroll(student, second);
        assertProblem(refused, 409, "duplicate-course");
        assertThat(refused.json().get("enrolledIn").asLong()).isEqualTo(first);
        running.campus.assertStored(second, 0, 0);
    }

    @Test
    void creditsPastTheMaximumAreRefusedAndTheRegistrationShowsThem() {
        Student student = running.campus.student();
        for (int i = 0; i < 3; i++) {
            assertThat(running.campus.enroll(student, running.campus.newClass(5, Map.of("credits", 6))).status())
                    .isEqualTo(201);
        }
        long zeroCredit = running.campus.newClass(5, Map.of("credits", 0));
        long oneCredit = running.campus.newClass(5, Map.of("credits", 1));
        Api.Response refused = running.campus.enroll(student, oneCredit);
        assertProblem(refused, 409, "credit-limit");
        assertThat(refused.json().get("credits").asInt()).isEqualTo(18);
        assertThat(refused.json().get("maxCredits").asInt()).isEqualTo(18);
        assertThat(running.campus.enroll(student, zeroCredit).status()).as("a 0-credit lab still fits").isEqualTo(201);
        JsonNode registration = running.api.get("/student/registration", student.token()).json();
        assertThat(registration.get("credits").asInt()).isEqualTo(18);
        assertThat(registration.get("maxCredits").asInt()).isEqualTo(18);
        running.campus.assertStored(oneCredit, 0, 0);
    }

    @Test
    void theChecksRunInTheContractsOrder() {
        Student student = running.campus.student();
        long morning = running.campus.newClass(5, Map.of("credits", 12, "meetings",
                List.of(Map.of("days", "T", "start", "08:00", "end", "09:00"))));
        assertThat(running.campus.enroll(student, morning).status()).isEqualTo(201);
        // both a time conflict and past the credit maximum: the time conflict is named
        long both = running.campus.newClass(5, Map.of("credits", 12, "meetings",
                List.of(Map.of("days", "T", "start", "08:30", "end", "09:30"))));
        assertProblem(running.campus.enroll(student, both), 409, "time-conflict");
        // a prerequisite is checked before all of them
        long advanced = running.campus.newClass(5, Map.of("credits", 12, "prerequisites",
                List.of(List.of("CPSC 131"), List.of("MATH 150A", "MATH 150B")), "meetings",
                List.of(Map.of("days", "T", "start", "08:30", "end", "09:30"))));
        Api.Response refused = running.campus.enroll(student, advanced);
        assertProblem(refused, 409, "prerequisite-not-met");
        assertThat(refused.json().get("missing").toString())
                .isEqualTo("[[\"CPSC 131\"],[\"MATH 150A\",\"MATH 150B\"]]");
    }

    @Test
    void prerequisitesAreMetByCompletedCoursesOneOfEachGroup() {
        Student student = running.campus.registeredStudent();
        long advanced = running.campus.newClass(5, Map.of("prerequisites",
                List.of(List.of("CPSC 131"), List.of("MATH 150A", "MATH 150B"))));
        Api.Response refused = running.campus.enroll(student, advanced);
        assertProblem(refused, 409, "prerequisite-not-met");
        assertThat(refused.json().get("missing").toString())
                .isEqualTo("[[\"CPSC 131\"],[\"MATH 150A\",\"MATH 150B\"]]");

        importCompleted(student, "CPSC 131");
        assertThat(running.campus.enroll(student, advanced).json().get("missing").toString())
                .as("only the unmet group is named").isEqualTo("[[\"MATH 150A\",\"MATH 150B\"]]");
        importCompleted(student, "MATH 150B");
        assertThat(running.campus.enroll(student, advanced).status()).isEqualTo(201);
    }

    @Test
    void aRegistrarsPermitPassesTheNamedChecksForItsClassOnly() {
        Student student = running.campus.registeredStudent();
        long seated = running.campus.newClass(5, meets("MW", "14:00", "15:15"));
        long permitted = running.campus.newClass(5, meets("MW", "14:30", "15:00"));
        long other = running.campus.newClass(5, meets("W", "14:30", "15:00"));
        assertThat(running.campus.enroll(student, seated).status()).isEqualTo(201);
        assertThat(permit("/registrar/students/" + student.id() + "/permits/" + permitted, running.campus.registrar,
                List.of("credit-limit")).status()).isEqualTo(201);
        assertProblem(running.campus.enroll(student, permitted), 409, "time-conflict");
        assertThat(permit("/registrar/students/" + student.id() + "/permits/" + permitted, running.campus.registrar,
                List.of("time-conflict")).status()).isEqualTo(200);
        assertThat(running.campus.enroll(student, permitted).status()).isEqualTo(201);
        Api.Response refused = running.campus.enroll(student, other);
        assertProblem(refused, 409, "time-conflict");
        assertThat(ids(refused.json().get("conflictsWith"))).as("the permit is for its class only")
                .containsExactly(seated, permitted);
    }

    @Test
    void anInstructorsPermitWaivesThePrerequisiteOfTheirOwnClass() {
        Student student = running.campus.registeredStudent();
        support.Campus.Instructor instructor = running.campus.instructor();
        long own = running.campus.classOf(instructor, 5, Map.of("prerequisites", List.of(List.of("CPSC 131"))))
                .get("id").asLong();
        long notOwn = running.campus.newClass(5, Map.of("prerequisites", List.of(List.of("CPSC 131"))));
        String path = "/instructor/classes/" + own + "/permits/" + student.id();
        assertProblem(permit(path, instructor.token(), List.of("time-conflict")), 403, "forbidden");
        assertProblem(permit("/instructor/classes/" + notOwn + "/permits/" + student.id(), instructor.token(),
                List.of("prerequisite")), 403, "forbidden");
        assertProblem(running.campus.enroll(student, own), 409, "prerequisite-not-met");
        assertThat(permit(path, instructor.token(), List.of("prerequisite")).status()).isEqualTo(201);
        assertThat(running.campus.enroll(student, own).status()).isEqualTo(201);
        assertProblem(running.campus.enroll(student, notOwn), 409, "prerequisite-not-met");
        JsonNode listed = running.api.get("/registrar/students/" + student.id() + "/permits",
                running.campus.registrar).json().get("permits");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("grantedBy").asLong()).isEqualTo(instructor.id());
    }

    @Test
    void aStudentsOwnMaximumReplacesTheDefault() {
        Student student = running.campus.registeredStudent();
        String maximum = "/registrar/students/" + student.id() + "/max-credits";
        assertThat(running.api.send("PUT", maximum, running.campus.registrar, Map.of("maxCredits", 3), Map.of())
                .status()).isEqualTo(200);
        assertThat(running.campus.enroll(student, running.campus.newClass(5)).status()).isEqualTo(201);
        Api.Response refused = running.campus.enroll(student, running.campus.newClass(5));
        assertProblem(refused, 409, "credit-limit");
        assertThat(refused.json().get("maxCredits").asInt()).isEqualTo(3);
        assertThat(running.api.delete(maximum, running.campus.registrar).status()).isEqualTo(200);
        assertThat(running.api.get("/student/registration", student.token()).json().get("maxCredits").asInt())
                .isEqualTo(18);
    }

    private static void importCompleted(Student student, String courseCode) {
        Api.Response imported = running.api.send("POST", "/registrar/completed-courses", running.campus.registrar,
                "studentId,courseCode\n" + student.id() + "," + courseCode + "\n", Map.of("Content-Type", "text/csv"));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    }

    private static Api.Response permit(String path, String token, List<String> overrides) {
        return running.api.send("PUT", path, token, Map.of("overrides", overrides), Map.of());
    }

    @Test
    void joiningAWaitingListIsCheckedTooAndChangesNothingWhenRefused() {
        Student student = running.campus.student();
        long seated = running.campus.newClass(5, meets("TR", "13:00", "14:15"));
        long full = running.campus.newClass(1, meets("T", "14:00", "15:00"));
        running.campus.enrollNew(full, 1);
        assertThat(running.campus.enroll(student, seated).status()).isEqualTo(201);
        assertProblem(running.campus.enroll(student, full), 409, "time-conflict");
        running.campus.assertStored(full, 1, 0);
        assertThat(running.api.get("/student/enrollments", student.token()).json().get("waitlisted")).isEmpty();
    }

    @Test
    void aPromotionPassesOverAWaitingStudentWhoNowConflictsAndTheNextOneTakesTheSeat() throws Exception {
        long classId = running.campus.newClass(1, meets("MW", "11:00", "12:15"));
        Student seated = running.campus.enrollNew(classId, 1).get(0);
        List<Student> waiting = running.campus.enrollNew(classId, 2);
        Student conflicted = waiting.get(0);
        // while waiting, the first in line took a class at the same time (waiting lists do not count)
        long sameTime = running.campus.newClass(5, meets("W", "11:30", "12:00"));
        assertThat(running.campus.enroll(conflicted, sameTime).status()).isEqualTo(201);

        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        eventually(() -> assertThat(enrolledIn(waiting.get(1))).contains(classId));
        assertThat(position(conflicted, classId)).as("the passed-over student keeps their place").isEqualTo(1);
        assertThat(enrolledIn(conflicted)).containsExactly(sameTime);
        running.campus.assertStored(classId, 1, 1);
    }

    @Test
    void inOfferModeTheSeatIsOfferedToTheNextStudentWhoPassesAndAnOfferedClassCountsAsEnrolled() throws Exception {
        long classId = running.campus.newClass(1, Map.of("waitlistMode", "offer", "credits", 4, "meetings",
                List.of(Map.of("days", "F", "start", "10:00", "end", "12:00"))));
        Student seated = running.campus.enrollNew(classId, 1).get(0);
        List<Student> waiting = running.campus.enrollNew(classId, 2);
        long sameTime = running.campus.newClass(5, meets("F", "11:00", "11:50"));
        assertThat(running.campus.enroll(waiting.get(0), sameTime).status()).isEqualTo(201);

        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        Student offered = waiting.get(1);
        eventually(() -> assertThat(running.api.get("/student/offers", offered.token()).json().get("offers"))
                .hasSize(1));
        assertThat(running.api.get("/student/offers", waiting.get(0).token()).json().get("offers")).isEmpty();
        assertThat(position(waiting.get(0), classId)).isEqualTo(1);

        // the held seat counts: a class at the same time is refused, and its credits show
        Api.Response refused = running.campus.enroll(offered, running.campus.newClass(5, meets("F", "09:00", "10:30")));
        assertProblem(refused, 409, "time-conflict");
        assertThat(ids(refused.json().get("conflictsWith"))).containsExactly(classId);
        assertThat(running.api.get("/student/registration", offered.token()).json().get("credits").asInt())
                .isEqualTo(4);
        assertThat(running.api.post("/student/offers/" + classId, offered.token(), null).status()).isEqualTo(201);
        assertThat(enrolledIn(offered)).containsExactly(classId);
        assertThat(running.api.get("/student/registration", offered.token()).json().get("credits").asInt())
                .isEqualTo(4);
    }

    static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private static List<Long> enrolledIn(Student student) {
        return enrolledIn(running.api, student);
    }

    /** The ids of the classes the student is enrolled in, as {@code GET /student/enrollments} lists them. */
    static List<Long> enrolledIn(Api api, Student student) {
        List<Long> ids = new ArrayList<>();
        api.get("/student/enrollments", student.token()).json().get("enrolled")
                .forEach(course -> ids.add(course.get("id").asLong()));
        return ids;
    }

    private static int position(Student student, long classId) {
        return position(running.api, student, classId);
    }

    /** The student's place on the class's list, 0 when not on it. */
    static int position(Api api, Student student, long classId) {
        Api.Response answer = api.get("/student/waitlist/" + classId, student.token());
        return answer.status() == 200 ? answer.json().get("position").asInt() : 0;
    }
}
