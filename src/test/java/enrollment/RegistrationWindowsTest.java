package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.RunningService;

/**
 * Registration windows (docs/api.md "Registration windows and holds") over HTTP: the registrar's CSV and JSON imports,
 * validated whole; the default window; enrolling before, inside and after a window; dropping and leaving always.
 */
class RegistrationWindowsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void aStudentTakesASeatOrAWaitingPlaceOnlyInsideTheirWindow() {
        long open = running.campus.newClass(5);
        long full = running.campus.newClass(1);
        running.campus.enrollNew(full, 1);
        Student early = running.campus.registeredStudent();
        Student inside = running.campus.registeredStudent();
        Student late = running.campus.registeredStudent();
        Api.Response imported = importCsv("studentId,opensAt,closesAt\r\n"
                + early.id() + "," + NOW.plus(Duration.ofHours(1)) + "," + NOW.plus(Duration.ofHours(2)) + "\r\n"
                + inside.id() + "," + NOW.minus(Duration.ofHours(1)) + "," + NOW.plus(Duration.ofHours(1)) + "\r\n"
                + late.id() + ",2020-01-01T08:00:00+02:00,2020-01-02T08:00:00+02:00\r\n");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asInt()).isEqualTo(3);

        for (long classId : List.of(open, full)) {
            long untilOpen = Duration.between(Instant.now(), NOW.plus(Duration.ofHours(1))).toSeconds();
            Api.Response notOpen = running.campus.enroll(early, classId);
            assertProblem(notOpen, 403, "registration-not-open");
            assertThat(notOpen.json().get("opensAt").asText()).isEqualTo(NOW.plus(Duration.ofHours(1)).toString());
            assertThat(Long.parseLong(notOpen.header("Retry-After"))).isBetween(untilOpen - 30, untilOpen + 1);
            assertProblem(running.campus.enroll(late, classId), 403, "registration-closed");
        }
        assertThat(running.campus.enroll(inside, open).status()).isEqualTo(201);
        assertThat(running.campus.enroll(inside, full).status()).isEqualTo(202);
        running.campus.assertStored(open, 1, 0);
        running.campus.assertStored(full, 1, 1);

        JsonNode mine = running.api.get("/student/registration", early.token()).json();
        assertThat(mine.get("opensAt").asText()).isEqualTo(NOW.plus(Duration.ofHours(1)).toString());
        assertThat(mine.get("closesAt").asText()).isEqualTo(NOW.plus(Duration.ofHours(2)).toString());
        assertThat(mine.get("open").asBoolean()).isFalse();
        assertThat(mine.get("holds")).isEmpty();
        assertThat(running.api.get("/student/registration", inside.token()).json().get("open").asBoolean()).isTrue();
        JsonNode seen = running.api.get("/registrar/students/" + late.id() + "/registration",
                running.campus.registrar).json();
        assertThat(seen.get("closesAt").asText()).isEqualTo("2020-01-02T06:00:00Z");
        assertThat(seen.get("open").asBoolean()).isFalse();

        // the window closes (a new import replaces it): dropping and leaving a list stay allowed
        Api.Response closed = running.api.post("/registrar/registration-windows", running.campus.registrar,
                Map.of("windows", List.of(Map.of("studentId", inside.id(), "opensAt", "2020-01-01T00:00:00Z",
                        "closesAt", NOW.minus(Duration.ofMinutes(1)).toString()))));
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertProblem(running.campus.enroll(inside, running.campus.newClass(5)), 403, "registration-closed");
        assertThat(running.campus.drop(inside, open).status()).isEqualTo(200);
        assertThat(running.api.delete("/student/waitlist/" + full, inside.token()).status()).isEqualTo(200);
        running.campus.assertStored(open, 0, 0);
        running.campus.assertStored(full, 1, 0);
    }

    @Test
    void theDefaultWindowAppliesToStudentsWithoutTheirOwn() {
        long classId = running.campus.newClass(10);
        Student own = running.campus.registeredStudent();
        assertThat(importCsv("studentId,opensAt\n" + own.id() + "," + NOW.minus(Duration.ofHours(1)) + "\n")
                .status()).isEqualTo(200);
        Api.Response set = running.api.send("PUT", "/registrar/registration-windows/default",
                running.campus.registrar, Map.of("opensAt", NOW.plus(Duration.ofDays(1)).toString()), Map.of());
        try {
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
            assertThat(set.json().get("opensAt").asText()).isEqualTo(NOW.plus(Duration.ofDays(1)).toString());
            assertThat(set.json().get("closesAt").isNull()).isTrue();
            Student other = running.campus.student();
            long untilOpen = Duration.between(Instant.now(), NOW.plus(Duration.ofDays(1))).toSeconds();
            Api.Response refused = running.campus.enroll(other, classId);
            assertProblem(refused, 403, "registration-not-open");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(untilOpen - 30, untilOpen + 1);
            assertThat(running.api.get("/student/registration", other.token()).json().get("opensAt").asText())
                    .isEqualTo(NOW.plus(Duration.ofDays(1)).toString());
            assertThat(running.campus.enroll(own, classId).status()).isEqualTo(201);

            assertProblem(running.api.send("PUT", "/registrar/registration-windows/default", running.campus.registrar,
                    Map.of("opensAt", "2026-08-03T08:00:00Z", "closesAt", "2026-08-03T07:00:00Z"), Map.of()),
                    400, "invalid-request");
            assertProblem(running.api.send("PUT", "/registrar/registration-windows/default", running.campus.registrar,
                    Map.of("opensAt", "tomorrow"), Map.of()), 400, "invalid-request");
        } finally {
            assertThat(running.api.send("PUT", "/registrar/registration-windows/default", running.campus.registrar,
                    Map.of(), Map.of()).status()).isEqualTo(200);
        }
        assertThat(running.campus.enroll(running.campus.student(), classId).status()).isEqualTo(201);
    }

    @Test
    void aFileWithABadRowIsRefusedWholeAndNothingIsStored() {
        long classId = running.campus.newClass(10);
        Student first = running.campus.registeredStudent();
        Student second = running.campus.registeredStudent();
        String later = NOW.plus(Duration.ofHours(3)).toString();
        Api.Response refused = importCsv("studentId,opensAt,closesAt\n"
                + first.id() + "," + later + ",\n"
                + second.id() + ",tomorrow,\n"
                + "+5," + later + ",\n"
                + "7," + later + "," + NOW + "\n");
        assertProblem(refused, 400, "invalid-request");
        assertThat(refused.json().get("detail").asText()).contains("3 bad rows", "line 3", "line 4", "line 5")
                .doesNotContain("line 2");
        for (Student student : List.of(first, second)) {
            JsonNode registration = running.api.get("/student/registration", student.token()).json();
            assertThat(registration.get("opensAt").isNull()).as("nothing stored").isTrue();
            assertThat(running.campus.enroll(student, classId).status()).isEqualTo(201);
        }

        Api.Response badJson = running.api.post("/registrar/registration-windows", running.campus.registrar,
                Map.of("windows", List.of(Map.of("studentId", first.id(), "opensAt", later),
                        Map.of("studentId", 6, "opensAt", "2026-13-01T00:00:00Z"))));
        assertProblem(badJson, 400, "invalid-request");
        assertThat(badJson.json().get("detail").asText()).contains("entry 2").doesNotContain("entry 1");
        assertProblem(running.api.send("POST", "/registrar/registration-windows", running.campus.registrar,
                "studentId;opensAt\n5;" + later + "\n", Map.of("Content-Type", "text/csv")), 400, "invalid-request");
        assertProblem(running.api.send("POST", "/registrar/registration-windows", running.campus.registrar,
                "studentId,opensAt\n5," + later + "\n", Map.of("Content-Type", "text/plain")),
                415, "unsupported-media-type");
        assertProblem(running.api.send("POST", "/registrar/registration-windows", running.campus.registrar,
                "studentId,opensAt\n", Map.of("Content-Type", "text/csv; charset=iso-8859-1")),
                415, "unsupported-media-type");
        StringBuilder tooMany = new StringBuilder("studentId,opensAt\n").append(first.id()).append(',')
                .append(later).append('\n');
        for (int i = 1; i <= 100_000; i++) {
            tooMany.append(i).append(',').append(later).append('\n');
        }
        Api.Response overRows = importCsv(tooMany.toString());
        assertProblem(overRows, 400, "invalid-request");
        assertThat(overRows.json().get("detail").asText()).contains("100000 rows");
        assertThat(running.api.get("/registrar/students/" + first.id() + "/registration", running.campus.registrar)
                .json().get("opensAt").isNull()).isTrue();
    }

    /** 8 MiB for the two imports only: 100,000 rows go in; past 8 MiB, and past 64 KiB anywhere else, a 413. */
    @Test
    void aHundredThousandRowsFitAndOnlyThisRequestTakesMoreThan64KiB() {
        // 100,000 students who exist, as the import requires
        List<Long> ids = running.storedStudents(100_000);
        Student last = new Student(ids.get(ids.size() - 1), running.tokens.student(ids.get(ids.size() - 1)));
        StringBuilder csv = new StringBuilder("studentId,opensAt,closesAt\n");
        for (long id : ids) {
            csv.append(id).append(',').append(NOW.plus(Duration.ofMinutes(30))).append(',')
                    .append(NOW.plus(Duration.ofDays(7))).append('\n');
        }
        assertThat(csv.length()).isGreaterThan(64 * 1024).isLessThan(8 * 1024 * 1024);
        // 1,000 BatchGetItems (the students) and 4,000 BatchWriteItems: tens of seconds against DynamoDB Local on a
        // loaded machine (bench/README.md)
        Api.Response imported = running.api.send("POST", "/registrar/registration-windows", running.campus.registrar,
                csv.toString(), Map.of("Content-Type", "text/csv"), Duration.ofMinutes(5));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asInt()).isEqualTo(100_000);
        for (long id : List.of(ids.get(0), ids.get(54_321), last.id())) {
            assertThat(running.api.get("/registrar/students/" + id + "/registration", running.campus.registrar)
                    .json().get("opensAt").asText()).isEqualTo(NOW.plus(Duration.ofMinutes(30)).toString());
        }
        assertProblem(running.campus.enroll(last, running.campus.newClass(3)), 403, "registration-not-open");

        Api.Response tooLarge = importCsv("studentId,opensAt\n" + "1,2026-08-03T08:00:00Z\n".repeat(400_000));
        assertProblem(tooLarge, 413, "payload-too-large");
        assertThat(tooLarge.json().get("detail").asText()).contains("8 MiB");
        Api.Response elsewhere = running.api.send("PUT", "/registrar/registration-windows/default",
                running.campus.registrar, "{\"opensAt\": \"" + " ".repeat(70_000) + "\"}", Map.of());
        assertProblem(elsewhere, 413, "payload-too-large");
        assertThat(elsewhere.json().get("detail").asText()).contains("64 KiB");
    }

    private static Api.Response importCsv(String csv) {
        return running.api.send("POST", "/registrar/registration-windows", running.campus.registrar, csv,
                Map.of("Content-Type", "text/csv"));
    }

    static void assertProblem(Api.Response answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("code").asText()).isEqualTo(code);
    }
}
