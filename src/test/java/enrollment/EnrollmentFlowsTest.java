package enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Instructor;
import support.Campus.Student;
import support.RunningService;

/** Every student, instructor and registrar operation of docs/api.md, with its answers and codes, over HTTP. */
class EnrollmentFlowsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();
    static final Promoters promoters = new Promoters(() -> running.service);

    @Test
    void aStudentEnrollsWaitsAndIsPromotedWhenASeatFrees() {
        Instructor instructor = running.campus.instructor();
        long classId = running.campus.classOf(instructor, 1).get("id").asLong();
        Student first = running.campus.student();
        Student second = running.campus.student();

        Api.Response enrolled = running.campus.enroll(first, classId);
        assertThat(enrolled.status()).isEqualTo(201);
        assertThat(enrolled.json().get("status").asText()).isEqualTo("enrolled");
        assertThat(enrolled.json().get("classId").asLong()).isEqualTo(classId);
        assertThat(problemCode(running.campus.enroll(first, classId), 409)).isEqualTo("already-enrolled");

        Api.Response waitlisted = running.campus.enroll(second, classId);
        assertThat(waitlisted.status()).isEqualTo(202);
        assertThat(waitlisted.json().get("status").asText()).isEqualTo("waitlisted");
        assertThat(waitlisted.json().get("position").asInt()).isEqualTo(1);
        assertThat(problemCode(running.campus.enroll(second, classId), 409)).isEqualTo("already-waitlisted");

        Api.Response position = running.api.get("/student/waitlist/" + classId, second.token());
        assertThat(position.status()).isEqualTo(200);
        assertThat(position.json().get("position").asInt()).isEqualTo(1);
        assertThat(position.json().get("waitlisted").asInt()).isEqualTo(1);
        JsonNode mine = running.api.get("/student/enrollments", second.token()).json();
        assertThat(mine.get("enrolled")).isEmpty();
        assertThat(mine.get("waitlisted").get(0).get("class").get("id").asLong()).isEqualTo(classId);
        assertThat(mine.get("waitlisted").get(0).get("position").asInt()).isEqualTo(1);

        Api.Response dropped = running.campus.drop(first, classId);
        assertThat(dropped.status()).isEqualTo(200);
        assertThat(dropped.json().get("status").asText()).isEqualTo("dropped");
        assertThat(problemCode(running.campus.drop(first, classId), 404)).isEqualTo("not-enrolled");

        // the waiting student took the freed seat within seconds (the drop's answer does not wait for it)
        eventually(() -> {
            JsonNode promoted = running.api.get("/student/enrollments", second.token()).json();
            assertThat(promoted.get("enrolled").get(0).get("id").asLong()).isEqualTo(classId);
            assertThat(promoted.get("waitlisted")).isEmpty();
            assertThat(problemCode(running.api.get("/student/waitlist/" + classId, second.token()),
                    404)).isEqualTo("not-waitlisted");
            JsonNode course = running.campus.showClass(classId);
            assertThat(course.get("enrolled").asInt()).isEqualTo(1);
            assertThat(course.get("waitlisted").asInt()).isZero();
        });

        JsonNode droppedList = running.api.get("/instructor/classes/" + classId + "/dropped",
                instructor.token()).json();
        assertThat(droppedList.get("students")).hasSize(1);
        assertThat(droppedList.get("students").get(0).get("id").asLong()).isEqualTo(first.id());
        assertThat(droppedList.get("students").get(0).get("administrative").asBoolean()).isFalse();
        assertThat(droppedList.get("students").get(0).get("droppedAt").asText()).endsWith("Z");
    }

    @Test
    void theWaitingListHoldsFifteenAndAStudentWaitsOnThreeAtMost() {
        long full = running.campus.newClass(1);
        running.campus.enroll(running.campus.student(), full);
        List<Student> waiting = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Student student = running.campus.student();
            waiting.add(student);
            assertThat(running.campus.enroll(student, full).json().get("position").asInt()).isEqualTo(i + 1);
        }
        assertThat(problemCode(running.campus.enroll(running.campus.student(), full), 409)).isEqualTo("class-full");
        assertThat(running.campus.showClass(full).get("waitlisted").asInt()).isEqualTo(15);

        // the list is kept in arrival order, and leaving closes the gap
        Student third = waiting.get(2);
        Api.Response left = running.api.delete("/student/waitlist/" + full, waiting.get(1).token());
        assertThat(left.status()).isEqualTo(200);
        assertThat(left.json().get("status").asText()).isEqualTo("removed");
        assertThat(problemCode(running.api.delete("/student/waitlist/" + full, waiting.get(1).token()), 404))
                .isEqualTo("not-waitlisted");
        assertThat(running.api.get("/student/waitlist/" + full,
                third.token()).json().get("position").asInt()).isEqualTo(2);

        Student busy = running.campus.student();
        for (int i = 0; i < 3; i++) {
            long other = running.campus.newClass(1);
            running.campus.enroll(running.campus.student(), other);
            assertThat(running.campus.enroll(busy, other).status()).isEqualTo(202);
        }
        long fourth = running.campus.newClass(1);
        running.campus.enroll(running.campus.student(), fourth);
        assertThat(problemCode(running.campus.enroll(busy, fourth), 409)).isEqualTo("waitlist-limit");
        assertThat(running.api.get("/student/enrollments", busy.token()).json().get("waitlisted")).hasSize(3);
    }

    @Test
    void studentsSeeClassesWithAFreeSeatOrRoomToWait() {
        long open = running.campus.newClass(5);
        long closed = running.campus.newClass(1);
        running.campus.enroll(running.campus.student(), closed);
        for (int i = 0; i < 15; i++) {
            running.campus.enroll(running.campus.student(), closed);
        }
        JsonNode classes = running.api.get("/student/classes", running.campus.student().token()).json().get("classes");
        List<Long> ids = new ArrayList<>();
        classes.forEach(c -> ids.add(c.get("id").asLong()));
        assertThat(ids).contains(open).doesNotContain(closed);
        JsonNode shown = classes.get(ids.indexOf(open));
        assertThat(shown.get("capacity").asInt()).isEqualTo(5);
        assertThat(shown.get("waitlistMax").asInt()).isEqualTo(15);
        assertThat(shown.get("courseCode").asText()).startsWith("CPSC");
        assertThat(problemCode(running.campus.enroll(running.campus.student(), 999_999_999L),
                404)).isEqualTo("class-not-found");
        assertThat(problemCode(running.api.post("/student/enrollments/abc", running.campus.student().token(), null),
                400))
                .isEqualTo("invalid-request");
    }

    @Test
    void anInstructorSeesAndDropsOnlyInTheirOwnClasses() {
        Instructor owner = running.campus.instructor();
        Instructor other = running.campus.instructor();
        long classId = running.campus.classOf(owner, 1).get("id").asLong();
        List<Student> seatedThenWaiting = running.campus.enrollNew(classId, 2);
        Student seated = seatedThenWaiting.get(0);
        Student waiting = seatedThenWaiting.get(1);

        JsonNode mine = running.api.get("/instructor/classes", owner.token()).json().get("classes");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("id").asLong()).isEqualTo(classId);
        JsonNode enrolled = running.api.get("/instructor/classes/" + classId + "/enrolled", owner.token()).json();
        assertThat(enrolled.get("students").get(0).get("id").asLong()).isEqualTo(seated.id());
        assertThat(enrolled.get("students").get(0).get("name").asText()).isEqualTo("Student " + seated.id());
        JsonNode list = running.api.get("/instructor/classes/" + classId + "/waitlist", owner.token()).json();
        assertThat(list.get("students").get(0).get("id").asLong()).isEqualTo(waiting.id());
        assertThat(list.get("students").get(0).get("position").asInt()).isEqualTo(1);

        assertThat(problemCode(running.api.get("/instructor/classes/" + classId + "/enrolled", other.token()), 403))
                .isEqualTo("forbidden");
        assertThat(problemCode(running.api.delete("/instructor/classes/" + classId + "/students/" + seated.id(),
                other.token()), 403)).isEqualTo("forbidden");
        assertThat(problemCode(running.api.get("/instructor/classes", seated.token()), 403)).isEqualTo("forbidden");

        Api.Response drop = running.api.delete("/instructor/classes/" + classId + "/students/" + seated.id(),
                owner.token());
        assertThat(drop.status()).isEqualTo(200);
        assertThat(problemCode(running.api.delete("/instructor/classes/" + classId + "/students/" + seated.id(),
                owner.token()), 404)).isEqualTo("not-enrolled");
        JsonNode dropped = running.api.get("/instructor/classes/" + classId + "/dropped", owner.token()).json();
        assertThat(dropped.get("students").get(0).get("administrative").asBoolean()).isTrue();
        eventually(() -> {
            JsonNode after = running.api.get("/instructor/classes/" + classId + "/enrolled", owner.token()).json();
            assertThat(after.get("students").get(0).get("id").asLong()).isEqualTo(waiting.id());
        });
    }

    @Test
    void theRegistrarAddsChangesAndRemovesSections() {
        Instructor instructor = running.campus.instructor();
        Map<String, Object> section = Map.of("department", "MATH", "courseCode", "MATH 170", "section", 3,
                "title", "Discrete Mathematics", "instructorId", instructor.id(), "capacity", 2);
        Api.Response created = running.api.post("/registrar/classes", running.campus.registrar, section);
        assertThat(created.status()).isEqualTo(201);
        long classId = created.json().get("id").asLong();
        assertThat(created.header("Location")).isEqualTo("/registrar/classes/" + classId);
        assertThat(created.header("ETag")).isNotBlank();
        assertThat(created.json().get("enrolled").asInt()).isZero();
        assertThat(problemCode(running.api.post("/registrar/classes", running.campus.registrar, section), 409))
                .isEqualTo("section-exists");
        Map<String, Object> tooSmall = new java.util.HashMap<>(section);
        tooSmall.put("section", 4);
        tooSmall.put("capacity", 0);
        assertThat(problemCode(running.api.post("/registrar/classes", running.campus.registrar, tooSmall),
                400)).isEqualTo("invalid-request");
        tooSmall.put("capacity", 10);
        tooSmall.put("instructorId", running.campus.student().id());
        assertThat(problemCode(running.api.post("/registrar/classes", running.campus.registrar, tooSmall),
                400)).isEqualTo("invalid-request");

        Api.Response shown = running.api.get("/registrar/classes/" + classId, running.campus.registrar);
        assertThat(shown.json().get("title").asText()).isEqualTo("Discrete Mathematics");
        Api.Response patched = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("title", "Discrete Structures", "capacity", 3), Map.of("If-Match", shown.header("ETag")));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("title").asText()).isEqualTo("Discrete Structures");
        assertThat(patched.json().get("capacity").asInt()).isEqualTo(3);
        assertThat(patched.header("ETag")).isNotEqualTo(shown.header("ETag"));
        assertThat(problemCode(running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("title", "Stale"), Map.of("If-Match", shown.header("ETag"))), 412)).isEqualTo("precondition-failed");

        Student seated = running.campus.student();
        running.campus.enroll(seated, classId);
        Api.Response removed = running.api.send("DELETE", "/registrar/classes/" + classId, running.campus.registrar,
                null,
                Map.of("If-Match", "*"));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(problemCode(running.api.get("/registrar/classes/" + classId, running.campus.registrar),
                404)).isEqualTo("class-not-found");
        assertThat(running.api.get("/student/enrollments", seated.token()).json().get("enrolled")).isEmpty();
        assertThat(problemCode(running.api.delete("/registrar/classes/" + classId, running.campus.registrar), 404))
                .isEqualTo("class-not-found");
    }

    @Test
    void freezingLeavesAFreedSeatEmptyAndUnfreezingFillsIt() {
        long classId = running.campus.newClass(1);
        Student seated = running.campus.student();
        Student waiting = running.campus.student();
        running.campus.enroll(seated, classId);
        running.campus.enroll(waiting, classId);
        try {
            Api.Response frozen = running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar,
                    Map.of("enabled", false), Map.of());
            assertThat(frozen.status()).isEqualTo(200);
            assertThat(frozen.json().get("enabled").asBoolean()).isFalse();
            running.campus.drop(seated, classId);
            promoters.awaitSettled(classId);
            assertThat(running.campus.showClass(classId).get("enrolled").asInt()).isZero();
            assertThat(running.api.get("/student/waitlist/" + classId,
                    waiting.token()).json().get("position").asInt()).isEqualTo(1);
        } finally {
            Api.Response thawed = running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar,
                    Map.of("enabled", true), Map.of());
            assertThat(thawed.json().get("enabled").asBoolean()).isTrue();
        }
        eventually(() -> {
            assertThat(running.campus.showClass(classId).get("enrolled").asInt()).isEqualTo(1);
            assertThat(running.api.get("/student/enrollments",
                    waiting.token()).json().get("enrolled").get(0).get("id").asLong())
                    .isEqualTo(classId);
        });
        assertThat(problemCode(running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar,
                Map.of("enabled", "yes"), Map.of()), 400)).isEqualTo("invalid-request");
    }

    @Test
    void whileStudentsWaitANewcomerWaitsBehindThemAndUnfreezingKeepsTheOrder() {
        long classId = running.campus.newClass(2);
        List<Student> students = running.campus.enrollNew(classId, 4);
        Student seatedA = students.get(0);
        Student seatedB = students.get(1);
        Student firstWaiting = students.get(2);
        Student secondWaiting = students.get(3);
        Student newcomer = running.campus.student();
        Student lastcomer = running.campus.student();
        try {
            running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar, Map.of("enabled", false),
                    Map.of());
            running.campus.drop(seatedA, classId);
            running.campus.drop(seatedB, classId);
            promoters.awaitSettled(classId);
            assertThat(running.campus.showClass(classId).get("enrolled").asInt()).isZero();

            // two seats are free, but two students wait for them: the newcomers queue behind, they take no seat
            Api.Response queued = running.campus.enroll(newcomer, classId);
            assertThat(queued.status()).isEqualTo(202);
            assertThat(queued.json().get("position").asInt()).isEqualTo(3);
            assertThat(running.campus.enroll(lastcomer, classId).json().get("position").asInt()).isEqualTo(4);
            running.campus.assertStored(classId, 0, 4);
        } finally {
            running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar, Map.of("enabled", true),
                    Map.of());
        }
        // unfrozen: the two seats go to the two who waited longest, the newcomers keep their order behind them
        Instructor owner = new Instructor(running.campus.showClass(classId).get("instructorId").asLong(), null);
        promoters.awaitSettled(classId);
        List<Long> enrolled = new ArrayList<>();
        running.api.get("/instructor/classes/" + classId + "/enrolled",
                        running.tokens.token(owner.id(), "Owner", "Instructor")).json().get("students")
                .forEach(student -> enrolled.add(student.get("id").asLong()));
        assertThat(enrolled).containsExactlyInAnyOrder(firstWaiting.id(), secondWaiting.id());
        List<Long> waiting = new ArrayList<>();
        JsonNode list = running.api.get("/instructor/classes/" + classId + "/waitlist",
                running.tokens.token(owner.id(), "Owner", "Instructor")).json().get("students");
        list.forEach(student -> waiting.add(student.get("id").asLong()));
        assertThat(waiting).containsExactly(newcomer.id(), lastcomer.id());
        assertThat(running.api.get("/student/waitlist/" + classId,
                newcomer.token()).json().get("position").asInt()).isEqualTo(1);
        assertThat(running.api.get("/student/waitlist/" + classId,
                lastcomer.token()).json().get("position").asInt()).isEqualTo(2);
    }

    static String problemCode(Api.Response answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        return answer.json().get("code").asText();
    }
}
