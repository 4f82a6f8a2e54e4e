package enrollment;

import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Instructor;
import support.Campus.Student;
import support.RunningService;

/**
 * What the registrar keeps of a student (docs/api.md "Registrar", "Registration rules") over HTTP: completed courses
 * imported (CSV and JSON, validated whole), listed and removed; the credit maximum set and reset, as both views of the
 * registration show it; permits of the registrar and of a class's instructor; and a student who does not exist refused
 * by every registrar operation on a student and by both imports.
 */
class StudentRecordsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    /** No user has this id: the store's counters are far below it, Tokens.freshId far above. */
    private static final long NO_ONE = 999_999;

    @Test
    void completedCoursesAreImportedFromCsvAndJsonEachRowOnceListedSortedAndRemoved() {
        Student ada = running.campus.registeredStudent();
        Student bob = running.campus.registeredStudent();
        Api.Response csv = importCsv("studentId,courseCode\r\n"
                + ada.id() + ",MATH 150A\r\n"
                + ada.id() + ",CPSC 131\r\n"
                + bob.id() + ",CPSC 131\r\n"
                + ada.id() + ",\"CPSC 131\"\r\n"
                + "\r\n"
                + ada.id() + ",ENGL 101\r\n");
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.json().get("imported").asInt()).as("the repeated row counts once").isEqualTo(4);

        // decomposed é (e + U+0301) is kept as the one character a class's courseCode would be
        Api.Response json = importJson(List.of(row(ada, "CPSC 131"), row(bob, "PHYS 225"), row(bob, "Cafe\u0301 1"),
                row(bob, "PHYS 225"), row(bob, "ART/DES 1")));
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        assertThat(json.json().get("imported").asInt()).as("one already stored counts, the repeat once").isEqualTo(4);

        assertThat(courses(ada)).containsExactly("CPSC 131", "ENGL 101", "MATH 150A");
        assertThat(courses(bob)).containsExactly("ART/DES 1", "CPSC 131", "Caf\u00e9 1", "PHYS 225");
        assertThat(running.api.send("HEAD", completed(ada), running.campus.registrar, null, Map.of()).status())
                .isEqualTo(200);

        Api.Response removed = running.api.delete(completed(ada) + "/" + encoded("CPSC 131"), running.campus.registrar);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(strings(removed.json().get("courses"))).containsExactly("ENGL 101", "MATH 150A");
        assertProblem(running.api.delete(completed(ada) + "/" + encoded("CPSC 131"), running.campus.registrar), 404,
                "not-completed");
        assertProblem(running.api.delete(completed(ada) + "/" + encoded("PHYS 225"), running.campus.registrar), 404,
                "not-completed");
        // the decomposed form names the same course; a slash is one of the code's characters, %2F
        assertThat(running.api.delete(completed(bob) + "/" + encoded("Cafe\u0301 1"), running.campus.registrar)
                .status()).isEqualTo(200);
        assertThat(running.api.delete(completed(bob) + "/" + encoded("ART/DES 1"), running.campus.registrar)
                .status()).isEqualTo(200);
        assertProblem(running.api.delete(completed(bob) + "/" + encoded("CPSC\u0007131"), running.campus.registrar),
                400, "invalid-request");
        assertProblem(running.api.delete(completed(bob) + "/" + "X".repeat(33), running.campus.registrar), 400,
                "invalid-request");
        assertThat(courses(bob)).containsExactly("CPSC 131", "PHYS 225");
        assertThat(courses(ada)).containsExactly("ENGL 101", "MATH 150A");
    }

    @Test
    void aFileWithABadRowIsRefusedWholeAndNothingIsStored() {
        Student student = running.campus.registeredStudent();
        Instructor instructor = running.campus.instructor();
        String good = student.id() + ",CPSC 131\n";
        Map<String, String> files = Map.of(
                "a bad id", good + "+5,CPSC 132\n",
                "an unknown student", good + NO_ONE + ",CPSC 132\n",
                "a user who is no student", good + instructor.id() + ",CPSC 132\n",
                "an empty code", good + student.id() + ",\n",
                "a code too long", good + student.id() + "," + "X".repeat(33) + "\n",
                "a missing column", good + student.id() + "\n",
                "an extra column", good + student.id() + ",CPSC 132,A\n");
        files.forEach((what, rows) -> {
            Api.Response refused = importCsv("studentId,courseCode\n" + rows);
            assertProblem(refused, 400, "invalid-request");
            assertThat(refused.json().get("detail").asText()).as(what).contains("1 bad row", "line 3")
                    .doesNotContain("line 2");
        });
        assertThat(courses(student)).as("nothing stored").isEmpty();

        Api.Response unknown = importCsv("studentId,courseCode\n" + good + NO_ONE + ",CPSC 132\n");
        assertThat(unknown.json().get("detail").asText()).contains("line 3: no student has the id " + NO_ONE);
        // bad rows of both kinds are named in the file's order, the first five of them
        Api.Response many = importCsv("studentId,courseCode\n" + NO_ONE + ",CPSC 1\n" + good + "x,CPSC 2\n"
                + (NO_ONE + 1) + ",CPSC 3\n" + student.id() + ",\n" + (NO_ONE + 2) + ",CPSC 4\n"
                + (NO_ONE + 3) + ",CPSC 5\n");
        assertProblem(many, 400, "invalid-request");
        assertThat(many.json().get("detail").asText()).contains("6 bad rows", "line 2", "line 4", "line 5",
                "line 6", "line 7").doesNotContain("line 3", "line 8");

        Api.Response control = importJson(List.of(row(student, "CPSC 131"), row(student, "CPSC\u0007131")));
        assertProblem(control, 400, "invalid-request");
        assertThat(control.json().get("detail").asText()).contains("entry 2").doesNotContain("entry 1");
        Api.Response missing = running.api.post("/registrar/completed-courses", running.campus.registrar,
                Map.of("completed", List.of(Map.of("studentId", student.id()))));
        assertProblem(missing, 400, "invalid-request");
        assertThat(missing.json().get("detail").asText()).contains("entry 1");
        assertProblem(running.api.post("/registrar/completed-courses", running.campus.registrar,
                Map.of("completed", List.of(Map.of("studentId", 1.5, "courseCode", "CPSC 131")))), 400,
                "invalid-request");
        assertProblem(running.api.post("/registrar/completed-courses", running.campus.registrar,
                Map.of("courses", List.of())), 400, "invalid-request");
        assertProblem(importCsv("studentId,course\n" + good), 400, "invalid-request");
        assertProblem(running.api.send("POST", "/registrar/completed-courses", running.campus.registrar, good,
                Map.of("Content-Type", "text/plain")), 415, "unsupported-media-type");

        StringBuilder tooMany = new StringBuilder("studentId,courseCode\n").append(good);
        for (int i = 1; i <= 100_000; i++) {
            tooMany.append(student.id()).append(",C ").append(i).append('\n');
        }
        Api.Response overRows = importCsv(tooMany.toString());
        assertProblem(overRows, 400, "invalid-request");
        assertThat(overRows.json().get("detail").asText()).contains("100000 rows");
        assertThat(courses(student)).as("nothing stored").isEmpty();

        Api.Response tooLarge = importCsv("studentId,courseCode\n" + good.repeat(8 * 1024 * 1024 / good.length() + 1));
        assertProblem(tooLarge, 413, "payload-too-large");
        assertThat(tooLarge.json().get("detail").asText()).contains("8 MiB");
        assertThat(courses(student)).as("nothing stored").isEmpty();
    }

    /** A file past 64 KiB goes in (this path reads up to 8 MiB), its students checked in BatchGetItems of 100. */
    @Test
    void aLargeFileOfManyStudentsIsImported() {
        List<Long> ids = running.storedStudents(250);
        StringBuilder csv = new StringBuilder("studentId,courseCode\n");
        for (long id : ids) {
            for (int course = 1; course <= 20; course++) {
                csv.append(id).append(",ENGR ").append(100 + course).append('\n');
            }
        }
        assertThat(csv.length()).isGreaterThan(64 * 1024);
        Api.Response imported = running.api.send("POST", "/registrar/completed-courses", running.campus.registrar,
                csv.toString(), Map.of("Content-Type", "text/csv"), Duration.ofMinutes(2));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asInt()).isEqualTo(5_000);
        for (long id : List.of(ids.get(0), ids.get(123), ids.get(249))) {
            JsonNode listed = running.api.get("/registrar/students/" + id + "/completed-courses",
                    running.campus.registrar).json().get("courses");
            assertThat(listed).hasSize(20);
            assertThat(listed.get(0).asText()).isEqualTo("ENGR 101");
        }
    }

    @Test
    void theCreditMaximumIsSetAndResetAndBothViewsShowIt() {
        Student student = running.campus.registeredStudent();
        String maximum = "/registrar/students/" + student.id() + "/max-credits";
        assertThat(maxCredits(student)).isEqualTo(18);

        Api.Response set = put(maximum, Map.of("maxCredits", 12));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("maxCredits").asInt()).isEqualTo(12);
        assertThat(maxCredits(student)).isEqualTo(12);
        for (Object refused : List.of("{\"maxCredits\": 41}", "{\"maxCredits\": -1}", "{\"maxCredits\": 1.5}",
                "{\"maxCredits\": \"12\"}", "{\"maxCredits\": null}", "{}", "{\"maxCredits\": 12, \"extra\": 1}")) {
            assertProblem(put(maximum, refused), 400, "invalid-request");
        }
        assertThat(maxCredits(student)).as("unchanged by the refused requests").isEqualTo(12);
        assertThat(put(maximum, Map.of("maxCredits", 0)).json().get("maxCredits").asInt()).isZero();
        assertThat(maxCredits(student)).isZero();
        assertThat(put(maximum, Map.of("maxCredits", 40)).status()).isEqualTo(200);
        assertThat(maxCredits(student)).isEqualTo(40);

        Api.Response reset = running.api.delete(maximum, running.campus.registrar);
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        assertThat(reset.json().get("maxCredits").asInt()).as("MAX_CREDITS").isEqualTo(18);
        assertThat(maxCredits(student)).isEqualTo(18);
        assertThat(running.api.delete(maximum, running.campus.registrar).json().get("maxCredits").asInt())
                .isEqualTo(18);
    }

    @Test
    void permitsOfTheRegistrarAndOfTheClasssInstructorAreGrantedListedAndRevoked() {
        Student student = running.campus.registeredStudent();
        Instructor owner = running.campus.instructor();
        long first = running.campus.classOf(owner, 5).get("id").asLong();
        long second = running.campus.classOf(owner, 5).get("id").asLong();
        long registrarId = running.api.get("/registrar/users?username=registrar", running.campus.registrar).json()
                .get("id").asLong();
        String permits = "/registrar/students/" + student.id() + "/permits";

        Instant before = Instant.now().minusSeconds(1);
        Api.Response granted = put(permits + "/" + second, Map.of("overrides", List.of("time-conflict", "prerequisite")));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
        assertThat(granted.json().get("classId").asLong()).isEqualTo(second);
        assertThat(strings(granted.json().get("overrides"))).as("in the checks' order")
                .containsExactly("prerequisite", "time-conflict");
        assertThat(granted.json().get("grantedBy").asLong()).isEqualTo(registrarId);
        assertThat(Instant.parse(granted.json().get("grantedAt").asText())).isBetween(before, Instant.now());
        Api.Response replaced = put(permits + "/" + second, Map.of("overrides", List.of("credit-limit")));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(strings(replaced.json().get("overrides"))).containsExactly("credit-limit");
        assertThat(put(permits + "/" + first, Map.of("overrides", List.of("duplicate-course", "duplicate-course")))
                .status()).isEqualTo(201);
        for (Object refused : List.of(Map.of("overrides", List.of()), Map.of("overrides", List.of("everything")),
                Map.of(), "{\"overrides\": [null]}", "{\"overrides\": \"prerequisite\"}")) {
            assertProblem(put(permits + "/" + first, refused), 400, "invalid-request");
        }
        assertProblem(put(permits + "/999999999", Map.of("overrides", List.of("prerequisite"))), 404,
                "class-not-found");

        JsonNode listed = running.api.get(permits, running.campus.registrar).json().get("permits");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("classId").asLong()).as("by class id").isEqualTo(first);
        assertThat(strings(listed.get(0).get("overrides"))).containsExactly("duplicate-course");
        assertThat(listed.get(1).get("classId").asLong()).isEqualTo(second);
        assertThat(strings(listed.get(1).get("overrides"))).containsExactly("credit-limit");
        assertThat(listed.get(1).get("grantedBy").asLong()).isEqualTo(registrarId);
        assertThat(listed.get(1).get("grantedAt").asText()).isEqualTo(replaced.json().get("grantedAt").asText());

        Api.Response revoked = running.api.delete(permits + "/" + second, running.campus.registrar);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().get("permits")).hasSize(1);
        assertProblem(running.api.delete(permits + "/" + second, running.campus.registrar), 404, "no-permit");

        // the instructor: prerequisite only, own classes only, students who exist only
        String mine = "/instructor/classes/" + second + "/permits/" + student.id();
        Api.Response byInstructor = running.api.send("PUT", mine, owner.token(),
                Map.of("overrides", List.of("prerequisite")), Map.of());
        assertThat(byInstructor.status()).as(byInstructor.toString()).isEqualTo(201);
        assertThat(byInstructor.json().get("grantedBy").asLong()).isEqualTo(owner.id());
        assertThat(strings(byInstructor.json().get("overrides"))).containsExactly("prerequisite");
        assertThat(running.api.send("PUT", mine, owner.token(), Map.of("overrides", List.of("prerequisite")), Map.of())
                .status()).isEqualTo(200);
        for (List<String> beyond : List.of(List.of("time-conflict"), List.of("prerequisite", "credit-limit"))) {
            assertProblem(running.api.send("PUT", mine, owner.token(), Map.of("overrides", beyond), Map.of()), 403,
                    "forbidden");
        }
        assertProblem(running.api.send("PUT", mine, owner.token(), Map.of("overrides", List.of()), Map.of()), 400,
                "invalid-request");
        assertProblem(running.api.send("PUT", mine, running.campus.instructor().token(),
                Map.of("overrides", List.of("prerequisite")), Map.of()), 403, "forbidden");
        assertProblem(running.api.send("PUT", "/instructor/classes/" + second + "/permits/" + NO_ONE, owner.token(),
                Map.of("overrides", List.of("prerequisite")), Map.of()), 404, "student-not-found");
        assertProblem(running.api.send("PUT", "/instructor/classes/999999999/permits/" + student.id(), owner.token(),
                Map.of("overrides", List.of("prerequisite")), Map.of()), 404, "class-not-found");
        assertProblem(running.api.send("PUT", mine, student.token(), Map.of("overrides", List.of("prerequisite")),
                Map.of()), 403, "forbidden");

        listed = running.api.get(permits, running.campus.registrar).json().get("permits");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(1).get("classId").asLong()).isEqualTo(second);
        assertThat(strings(listed.get(1).get("overrides"))).containsExactly("prerequisite");
        assertThat(listed.get(1).get("grantedBy").asLong()).isEqualTo(owner.id());
    }

    @Test
    void everyRegistrarOperationOnAStudentRefusesOneWhoDoesNotExist() {
        long classId = running.campus.newClass(5);
        Instructor instructor = running.campus.instructor();
        for (long nobody : List.of(NO_ONE, instructor.id())) {
            String student = "/registrar/students/" + nobody;
            List<Api.Response> answers = new ArrayList<>(List.of(
                    running.api.get(student + "/registration", running.campus.registrar),
                    running.api.get(student + "/holds", running.campus.registrar),
                    put(student + "/holds/fees", Map.of("reason", "Fees unpaid")),
                    running.api.delete(student + "/holds/fees", running.campus.registrar),
                    running.api.get(student + "/completed-courses", running.campus.registrar),
                    running.api.delete(student + "/completed-courses/" + encoded("CPSC 131"), running.campus.registrar),
                    put(student + "/max-credits", Map.of("maxCredits", 12)),
                    running.api.delete(student + "/max-credits", running.campus.registrar),
                    put(student + "/permits/" + classId, Map.of("overrides", List.of("prerequisite"))),
                    running.api.get(student + "/permits", running.campus.registrar),
                    running.api.delete(student + "/permits/" + classId, running.campus.registrar)));
            assertThat(answers).allSatisfy(answer -> assertProblem(answer, 404, "student-not-found"));
        }

        // the window import: a row naming no student is a bad row, and the file is refused whole
        Student real = running.campus.registeredStudent();
        Api.Response windows = running.api.send("POST", "/registrar/registration-windows", running.campus.registrar,
                "studentId,opensAt\n" + real.id() + ",2030-01-01T00:00:00Z\n" + NO_ONE + ",2030-01-01T00:00:00Z\n"
                        + instructor.id() + ",2030-01-01T00:00:00Z\n", Map.of("Content-Type", "text/csv"));
        assertProblem(windows, 400, "invalid-request");
        assertThat(windows.json().get("detail").asText()).contains("2 bad rows",
                "line 3: no student has the id " + NO_ONE, "line 4: no student has the id " + instructor.id())
                .doesNotContain("line 2");
        Api.Response json = running.api.post("/registrar/registration-windows", running.campus.registrar,
                Map.of("windows", List.of(Map.of("studentId", NO_ONE, "opensAt", "2030-01-01T00:00:00Z"))));
        assertProblem(json, 400, "invalid-request");
        assertThat(json.json().get("detail").asText()).contains("entry 1: no student has the id " + NO_ONE);
        // ids 1 to 2,000 on a store of a few dozen users: refused, not imported
        StringBuilder range = new StringBuilder("studentId,opensAt\n");
        for (int id = 1; id <= 2_000; id++) {
            range.append(id).append(",2030-01-01T00:00:00Z\n");
        }
        assertProblem(importWindows(range.toString()), 400, "invalid-request");
        JsonNode registration = running.api.get("/registrar/students/" + real.id() + "/registration",
                running.campus.registrar).json();
        assertThat(registration.get("opensAt").isNull()).as("nothing stored").isTrue();

        // with the student's account, the same requests are taken
        String hold = "/registrar/students/" + real.id() + "/holds/fees";
        assertThat(put(hold, Map.of("reason", "Fees unpaid")).status()).isEqualTo(201);
        assertThat(running.api.delete(hold, running.campus.registrar).status()).isEqualTo(200);
        assertThat(importWindows("studentId,opensAt\n" + real.id() + ",2030-01-01T00:00:00Z\n").status())
                .isEqualTo(200);
    }

    private static Api.Response importCsv(String csv) {
        return running.api.send("POST", "/registrar/completed-courses", running.campus.registrar, csv,
                Map.of("Content-Type", "text/csv"));
    }

    private static Api.Response importJson(List<Map<String, Object>> rows) {
        return running.api.post("/registrar/completed-courses", running.campus.registrar, Map.of("completed", rows));
    }

    private static Api.Response importWindows(String csv) {
        return running.api.send("POST", "/registrar/registration-windows", running.campus.registrar, csv,
                Map.of("Content-Type", "text/csv"));
    }

    private static Map<String, Object> row(Student student, String courseCode) {
        return Map.of("studentId", student.id(), "courseCode", courseCode);
    }

    private static String completed(Student student) {
        return "/registrar/students/" + student.id() + "/completed-courses";
    }

    private static List<String> courses(Student student) {
        Api.Response listed = running.api.get(completed(student), running.campus.registrar);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return strings(listed.json().get("courses"));
    }

    /** The maximum as the registrar and the student see it, which must agree. */
    private static int maxCredits(Student student) {
        JsonNode registrars = running.api.get("/registrar/students/" + student.id() + "/registration",
                running.campus.registrar).json();
        JsonNode students = running.api.get("/student/registration", student.token()).json();
        assertThat(students.get("maxCredits").asInt()).isEqualTo(registrars.get("maxCredits").asInt());
        assertThat(registrars.get("credits").asInt()).isZero();
        return registrars.get("maxCredits").asInt();
    }

    private static Api.Response put(String path, Object body) {
        return running.api.send("PUT", path, running.campus.registrar, body, Map.of());
    }

    /** A path segment: a space is %20 (URLEncoder's + is a plus sign in a path). */
    private static String encoded(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
