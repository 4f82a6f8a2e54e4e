package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Campus;
import support.Campus.Instructor;
import support.Campus.Student;
import support.TestService;
import support.Tokens;

/** Every student, instructor and registrar operation of API.md, with its answers and codes, over HTTP. */
class EnrollmentFlowsTest {

    static Tokens tokens = new Tokens();
    static EnrollmentService service;
    static Api api;
    static Campus campus;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(Map.of("JWT_PRIVATE_KEY_FILE", tokens.pemFile()));
        api = new Api(service);
        campus = new Campus(api, tokens);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aStudentEnrollsWaitsAndIsPromotedWhenASeatFrees() {
        Instructor instructor = campus.instructor();
        long classId = campus.classOf(instructor, 1).get("id").asLong();
        Student first = campus.student();
        Student second = campus.student();

        Api.Response enrolled = campus.enroll(first, classId);
        assertThat(enrolled.status()).isEqualTo(201);
        assertThat(enrolled.json().get("status").asText()).isEqualTo("enrolled");
        assertThat(enrolled.json().get("classId").asLong()).isEqualTo(classId);
        assertThat(problemCode(campus.enroll(first, classId), 409)).isEqualTo("already-enrolled");

        Api.Response waitlisted = campus.enroll(second, classId);
        assertThat(waitlisted.status()).isEqualTo(202);
        assertThat(waitlisted.json().get("status").asText()).isEqualTo("waitlisted");
        assertThat(waitlisted.json().get("position").asInt()).isEqualTo(1);
        assertThat(problemCode(campus.enroll(second, classId), 409)).isEqualTo("already-waitlisted");

        Api.Response position = api.get("/student/waitlist/" + classId, second.token());
        assertThat(position.status()).isEqualTo(200);
        assertThat(position.json().get("position").asInt()).isEqualTo(1);
        assertThat(position.json().get("waitlisted").asInt()).isEqualTo(1);
        JsonNode mine = api.get("/student/enrollments", second.token()).json();
        assertThat(mine.get("enrolled")).isEmpty();
        assertThat(mine.get("waitlisted").get(0).get("class").get("id").asLong()).isEqualTo(classId);
        assertThat(mine.get("waitlisted").get(0).get("position").asInt()).isEqualTo(1);

        Api.Response dropped = campus.drop(first, classId);
        assertThat(dropped.status()).isEqualTo(200);
        assertThat(dropped.json().get("status").asText()).isEqualTo("dropped");
        assertThat(problemCode(campus.drop(first, classId), 404)).isEqualTo("not-enrolled");

        // the waiting student took the freed seat at once
        JsonNode promoted = api.get("/student/enrollments", second.token()).json();
        assertThat(promoted.get("enrolled").get(0).get("id").asLong()).isEqualTo(classId);
        assertThat(promoted.get("waitlisted")).isEmpty();
        assertThat(problemCode(api.get("/student/waitlist/" + classId, second.token()), 404)).isEqualTo("not-waitlisted");
        JsonNode course = campus.showClass(classId);
        assertThat(course.get("enrolled").asInt()).isEqualTo(1);
        assertThat(course.get("waitlisted").asInt()).isZero();

        JsonNode droppedList = api.get("/instructor/classes/" + classId + "/dropped", instructor.token()).json();
        assertThat(droppedList.get("students")).hasSize(1);
        assertThat(droppedList.get("students").get(0).get("id").asLong()).isEqualTo(first.id());
        assertThat(droppedList.get("students").get(0).get("administrative").asBoolean()).isFalse();
        assertThat(droppedList.get("students").get(0).get("droppedAt").asText()).endsWith("Z");
    }

    @Test
    void theWaitingListHoldsFifteenAndAStudentWaitsOnThreeAtMost() {
        long full = campus.newClass(1);
        campus.enroll(campus.student(), full);
        List<Student> waiting = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Student student = campus.student();
            waiting.add(student);
            assertThat(campus.enroll(student, full).json().get("position").asInt()).isEqualTo(i + 1);
        }
        assertThat(problemCode(campus.enroll(campus.student(), full), 409)).isEqualTo("class-full");
        assertThat(campus.showClass(full).get("waitlisted").asInt()).isEqualTo(15);

        // the list is kept in arrival order, and leaving closes the gap
        Student third = waiting.get(2);
        Api.Response left = api.delete("/student/waitlist/" + full, waiting.get(1).token());
        assertThat(left.status()).isEqualTo(200);
        assertThat(left.json().get("status").asText()).isEqualTo("removed");
        assertThat(problemCode(api.delete("/student/waitlist/" + full, waiting.get(1).token()), 404))
                .isEqualTo("not-waitlisted");
        assertThat(api.get("/student/waitlist/" + full, third.token()).json().get("position").asInt()).isEqualTo(2);

        Student busy = campus.student();
        for (int i = 0; i < 3; i++) {
            long other = campus.newClass(1);
            campus.enroll(campus.student(), other);
            assertThat(campus.enroll(busy, other).status()).isEqualTo(202);
        }
        long fourth = campus.newClass(1);
        campus.enroll(campus.student(), fourth);
        assertThat(problemCode(campus.enroll(busy, fourth), 409)).isEqualTo("waitlist-limit");
        assertThat(api.get("/student/enrollments", busy.token()).json().get("waitlisted")).hasSize(3);
    }

    @Test
    void studentsSeeClassesWithAFreeSeatOrRoomToWait() {
        long open = campus.newClass(5);
        long closed = campus.newClass(1);
        campus.enroll(campus.student(), closed);
        for (int i = 0; i < 15; i++) {
            campus.enroll(campus.student(), closed);
        }
        JsonNode classes = api.get("/student/classes", campus.student().token()).json().get("classes");
        List<Long> ids = new ArrayList<>();
        classes.forEach(c -> ids.add(c.get("id").asLong()));
        assertThat(ids).contains(open).doesNotContain(closed);
        JsonNode shown = classes.get(ids.indexOf(open));
        assertThat(shown.get("capacity").asInt()).isEqualTo(5);
        assertThat(shown.get("waitlistMax").asInt()).isEqualTo(15);
        assertThat(shown.get("courseCode").asText()).startsWith("CPSC");
        assertThat(problemCode(campus.enroll(campus.student(), 999_999_999L), 404)).isEqualTo("class-not-found");
        assertThat(problemCode(api.post("/student/enrollments/abc", campus.student().token(), null), 400))
                .isEqualTo("invalid-request");
    }

    @Test
    void anInstructorSeesAndDropsOnlyInTheirOwnClasses() {
        Instructor owner = campus.instructor();
        Instructor other = campus.instructor();
        long classId = campus.classOf(owner, 1).get("id").asLong();
        Student seated = campus.student();
        Student waiting = campus.student();
        campus.enroll(seated, classId);
        campus.enroll(waiting, classId);

        JsonNode mine = api.get("/instructor/classes", owner.token()).json().get("classes");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("id").asLong()).isEqualTo(classId);
        JsonNode enrolled = api.get("/instructor/classes/" + classId + "/enrolled", owner.token()).json();
        assertThat(enrolled.get("students").get(0).get("id").asLong()).isEqualTo(seated.id());
        assertThat(enrolled.get("students").get(0).get("name").asText()).isEqualTo("Student " + seated.id());
        JsonNode list = api.get("/instructor/classes/" + classId + "/waitlist", owner.token()).json();
        assertThat(list.get("students").get(0).get("id").asLong()).isEqualTo(waiting.id());
        assertThat(list.get("students").get(0).get("position").asInt()).isEqualTo(1);

        assertThat(problemCode(api.get("/instructor/classes/" + classId + "/enrolled", other.token()), 403))
                .isEqualTo("forbidden");
        assertThat(problemCode(api.delete("/instructor/classes/" + classId + "/students/" + seated.id(),
                other.token()), 403)).isEqualTo("forbidden");
        assertThat(problemCode(api.get("/instructor/classes", seated.token()), 403)).isEqualTo("forbidden");

        Api.Response drop = api.delete("/instructor/classes/" + classId + "/students/" + seated.id(), owner.token());
        assertThat(drop.status()).isEqualTo(200);
        assertThat(problemCode(api.delete("/instructor/classes/" + classId + "/students/" + seated.id(),
                owner.token()), 404)).isEqualTo("not-enrolled");
        JsonNode dropped = api.get("/instructor/classes/" + classId + "/dropped", owner.token()).json();
        assertThat(dropped.get("students").get(0).get("administrative").asBoolean()).isTrue();
        JsonNode after = api.get("/instructor/classes/" + classId + "/enrolled", owner.token()).json();
        assertThat(after.get("students").get(0).get("id").asLong()).isEqualTo(waiting.id());
    }

    @Test
    void theRegistrarAddsChangesAndRemovesSections() {
        Instructor instructor = campus.instructor();
        Map<String, Object> section = Map.of("department", "MATH", "courseCode", "MATH 170", "section", 3,
                "title", "Discrete Mathematics", "instructorId", instructor.id(), "capacity", 2);
        Api.Response created = api.post("/registrar/classes", campus.registrar, section);
        assertThat(created.status()).isEqualTo(201);
        long classId = created.json().get("id").asLong();
        assertThat(created.header("Location")).isEqualTo("/registrar/classes/" + classId);
        assertThat(created.header("ETag")).isNotBlank();
        assertThat(created.json().get("enrolled").asInt()).isZero();
        assertThat(problemCode(api.post("/registrar/classes", campus.registrar, section), 409))
                .isEqualTo("section-exists");
        Map<String, Object> tooSmall = new java.util.HashMap<>(section);
        tooSmall.put("section", 4);
        tooSmall.put("capacity", 0);
        assertThat(problemCode(api.post("/registrar/classes", campus.registrar, tooSmall), 400)).isEqualTo("invalid-request");
        tooSmall.put("capacity", 10);
        tooSmall.put("instructorId", campus.student().id());
        assertThat(problemCode(api.post("/registrar/classes", campus.registrar, tooSmall), 400)).isEqualTo("invalid-request");

        Api.Response shown = api.get("/registrar/classes/" + classId, campus.registrar);
        assertThat(shown.json().get("title").asText()).isEqualTo("Discrete Mathematics");
        Api.Response patched = api.send("PATCH", "/registrar/classes/" + classId, campus.registrar,
                Map.of("title", "Discrete Structures", "capacity", 3), Map.of("If-Match", shown.header("ETag")));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("title").asText()).isEqualTo("Discrete Structures");
        assertThat(patched.json().get("capacity").asInt()).isEqualTo(3);
        assertThat(patched.header("ETag")).isNotEqualTo(shown.header("ETag"));
        assertThat(problemCode(api.send("PATCH", "/registrar/classes/" + classId, campus.registrar,
                Map.of("title", "Stale"), Map.of("If-Match", shown.header("ETag"))), 412)).isEqualTo("precondition-failed");

        Student seated = campus.student();
        campus.enroll(seated, classId);
        Api.Response removed = api.send("DELETE", "/registrar/classes/" + classId, campus.registrar, null,
                Map.of("If-Match", "*"));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(problemCode(api.get("/registrar/classes/" + classId, campus.registrar), 404)).isEqualTo("class-not-found");
        assertThat(api.get("/student/enrollments", seated.token()).json().get("enrolled")).isEmpty();
        assertThat(problemCode(api.delete("/registrar/classes/" + classId, campus.registrar), 404))
                .isEqualTo("class-not-found");
    }

    @Test
    void freezingLeavesAFreedSeatEmptyAndUnfreezingFillsIt() {
        long classId = campus.newClass(1);
        Student seated = campus.student();
        Student waiting = campus.student();
        campus.enroll(seated, classId);
        campus.enroll(waiting, classId);
        try {
            Api.Response frozen = api.send("PUT", "/registrar/auto-enrollment", campus.registrar,
                    Map.of("enabled", false), Map.of());
            assertThat(frozen.status()).isEqualTo(200);
            assertThat(frozen.json().get("enabled").asBoolean()).isFalse();
            campus.drop(seated, classId);
            assertThat(campus.showClass(classId).get("enrolled").asInt()).isZero();
            assertThat(api.get("/student/waitlist/" + classId, waiting.token()).json().get("position").asInt()).isEqualTo(1);
        } finally {
            Api.Response thawed = api.send("PUT", "/registrar/auto-enrollment", campus.registrar,
                    Map.of("enabled", true), Map.of());
            assertThat(thawed.json().get("enabled").asBoolean()).isTrue();
        }
        assertThat(campus.showClass(classId).get("enrolled").asInt()).isEqualTo(1);
        assertThat(api.get("/student/enrollments", waiting.token()).json().get("enrolled").get(0).get("id").asLong())
                .isEqualTo(classId);
        assertThat(problemCode(api.send("PUT", "/registrar/auto-enrollment", campus.registrar,
                Map.of("enabled", "yes"), Map.of()), 400)).isEqualTo("invalid-request");
    }

    @Test
    void whileStudentsWaitANewcomerWaitsBehindThemAndUnfreezingKeepsTheOrder() {
        long classId = campus.newClass(2);
        List<Student> students = campus.enrollNew(classId, 4);
        Student seatedA = students.get(0);
        Student seatedB = students.get(1);
        Student firstWaiting = students.get(2);
        Student secondWaiting = students.get(3);
        Student newcomer = campus.student();
        Student lastcomer = campus.student();
        try {
            api.send("PUT", "/registrar/auto-enrollment", campus.registrar, Map.of("enabled", false), Map.of());
            campus.drop(seatedA, classId);
            campus.drop(seatedB, classId);
            assertThat(campus.showClass(classId).get("enrolled").asInt()).isZero();

            // two seats are free, but two students wait for them: the newcomers queue behind, they take no seat
            Api.Response queued = campus.enroll(newcomer, classId);
            assertThat(queued.status()).isEqualTo(202);
            assertThat(queued.json().get("position").asInt()).isEqualTo(3);
            assertThat(campus.enroll(lastcomer, classId).json().get("position").asInt()).isEqualTo(4);
            campus.assertStored(classId, 0, 4);
        } finally {
            api.send("PUT", "/registrar/auto-enrollment", campus.registrar, Map.of("enabled", true), Map.of());
        }
        // unfrozen: the two seats go to the two who waited longest, the newcomers keep their order behind them
        Instructor owner = new Instructor(campus.showClass(classId).get("instructorId").asLong(), null);
        List<Long> enrolled = new ArrayList<>();
        api.get("/instructor/classes/" + classId + "/enrolled",
                        tokens.token(owner.id(), "Owner", "Instructor")).json().get("students")
                .forEach(student -> enrolled.add(student.get("id").asLong()));
        assertThat(enrolled).containsExactlyInAnyOrder(firstWaiting.id(), secondWaiting.id());
        List<Long> waiting = new ArrayList<>();
        JsonNode list = api.get("/instructor/classes/" + classId + "/waitlist",
                tokens.token(owner.id(), "Owner", "Instructor")).json().get("students");
        list.forEach(student -> waiting.add(student.get("id").asLong()));
        assertThat(waiting).containsExactly(newcomer.id(), lastcomer.id());
        assertThat(api.get("/student/waitlist/" + classId, newcomer.token()).json().get("position").asInt()).isEqualTo(1);
        assertThat(api.get("/student/waitlist/" + classId, lastcomer.token()).json().get("position").asInt()).isEqualTo(2);
    }

    static String problemCode(Api.Response answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        return answer.json().get("code").asText();
    }
}
