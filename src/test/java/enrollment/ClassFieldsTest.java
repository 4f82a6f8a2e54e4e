package enrollment;

import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import support.Api;
import support.Campus.Instructor;
import support.Campus.Student;
import support.RunningService;

/**
 * A class's {@code credits}, {@code meetings} and {@code prerequisites} (docs/api.md "Classes") over HTTP: set on
 * create and PATCH, defaulted, refused when invalid (nothing stored), shown in every representation of a class, and a
 * change of credits rewriting the copy on the schedules of the students who hold a seat or an offer, as
 * {@code GET /student/registration}'s {@code credits} shows.
 */
class ClassFieldsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode MEETINGS = json("[{\"days\": \"MWF\", \"start\": \"09:00\", \"end\": \"09:50\"},"
            + " {\"days\": \"R\", \"start\": \"13:00\", \"end\": \"14:15\"}]");
    static final JsonNode PREREQUISITES = json("[[\"CPSC 131\"], [\"MATH 150A\", \"MATH 150B\"]]");

    /** Whose classes the tests create, and a class each invalid PATCH must leave as it is. */
    static Instructor instructor;
    static long patched;

    @BeforeAll
    static void aClassToPatch() {
        instructor = running.campus.instructor();
        patched = created(newClass()).get("id").asLong();
    }

    @Test
    void theFieldsAreStoredAndShownInEveryRepresentation() {
        ObjectNode body = newClass();
        body.put("credits", 4);
        body.set("meetings", MEETINGS);
        body.set("prerequisites", PREREQUISITES);
        JsonNode course = created(body);
        long classId = course.get("id").asLong();
        assertFields(course, 4, MEETINGS, PREREQUISITES);
        assertFields(running.campus.showClass(classId), 4, MEETINGS, PREREQUISITES);
        Student student = running.campus.student();
        assertFields(listed(running.api.get("/student/classes", student.token()).json().get("classes"), classId),
                4, MEETINGS, PREREQUISITES);
        assertFields(listed(running.api.get("/instructor/classes", instructor.token()).json().get("classes"), classId),
                4, MEETINGS, PREREQUISITES);

        // the student completed nothing: the prerequisites are set again once they hold the seat (a change of the
        // class never re-checks the students in it)
        assertThat(patch(classId, Map.of("prerequisites", List.of())).status()).isEqualTo(200);
        assertThat(running.campus.enroll(student, classId).status()).isEqualTo(201);
        assertThat(patch(classId, Map.of("prerequisites", PREREQUISITES)).status()).isEqualTo(200);
        assertFields(listed(running.api.get("/student/enrollments", student.token()).json().get("enrolled"), classId),
                4, MEETINGS, PREREQUISITES);
    }

    @Test
    void aClassCreatedWithoutThemHasThreeCreditsNoMeetingsAndNoPrerequisites() {
        JsonNode course = created(newClass());
        assertFields(course, 3, json("[]"), json("[]"));
        assertFields(running.campus.showClass(course.get("id").asLong()), 3, json("[]"), json("[]"));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("meetings",
                        "[" + meeting("", "09:00", "09:50") + "]",
                        "[" + meeting("MX", "09:00", "09:50") + "]",
                        "[" + meeting("MM", "09:00", "09:50") + "]",
                        "[" + meeting("MWF", "9:00", "09:50") + "]",
                        "[" + meeting("MWF", "09:00", "24:00") + "]",
                        "[" + meeting("MWF", "09:00", "09:00") + "]",
                        "[" + meeting("MWF", "10:00", "09:50") + "]",
                        "[" + String.join(", ", Collections.nCopies(8, meeting("M", "09:00", "09:50"))) + "]",
                        "[{\"days\": \"MWF\", \"start\": \"09:00\"}]",
                        "[{\"days\": \"MWF\", \"start\": \"09:00\", \"end\": \"09:50\", \"room\": 1}]",
                        "[{\"days\": \"MWF\", \"start\": 900, \"end\": \"09:50\"}]",
                        "\"MWF 09:00-09:50\"",
                        "[null]",
                        "null"),
                invalid("credits", "-1", "13", "1.5", "\"3\"", "null"),
                invalid("prerequisites",
                        JSON.valueToTree(Collections.nCopies(11, List.of("CPSC 131"))).toString(),
                        "[[]]",
                        JSON.valueToTree(List.of(IntStream.rangeClosed(1, 11)
                                .mapToObj(n -> "CPSC " + n).toList())).toString(),
                        "[[\"CPSC\\u0007131\"]]",
                        "[[\"\"]]",
                        "[\"CPSC 131\"]",
                        "[[131]]",
                        "[null]",
                        "[[null]]",
                        "null"))
                .flatMap(rows -> rows);
    }

    /** A row of {@link #invalidValues} for each of the field's values. */
    private static Stream<Arguments> invalid(String field, String... values) {
        return Stream.of(values).map(value -> Arguments.of(field, value));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidValues")
    void anInvalidValueIsA400OnCreateAndPatchAndNothingIsStored(String field, String value) {
        ObjectNode body = newClass();
        body.set(field, json(value));
        assertProblem(running.api.post("/registrar/classes", running.campus.registrar, body.toString()), 400,
                "invalid-request");
        body.remove(field);
        assertThat(running.api.post("/registrar/classes", running.campus.registrar, body).status())
                .as("nothing was stored: the section is still free").isEqualTo(201);

        JsonNode before = running.campus.showClass(patched);
        assertProblem(running.api.send("PATCH", "/registrar/classes/" + patched, running.campus.registrar,
                "{\"" + field + "\": " + value + "}", Map.of()), 400, "invalid-request");
        assertThat(running.campus.showClass(patched)).isEqualTo(before);
    }

    @Test
    void eachFieldIsChangedByAPatchHonouringIfMatch() {
        long classId = created(newClass()).get("id").asLong();
        String first = running.api.get("/registrar/classes/" + classId, running.campus.registrar).header("ETag");

        Api.Response credits = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("credits", 1), Map.of("If-Match", first));
        assertThat(credits.status()).as(credits.toString()).isEqualTo(200);
        assertFields(credits.json(), 1, json("[]"), json("[]"));
        assertThat(credits.header("ETag")).isNotEqualTo(first);

        JsonNode evening = json("[" + meeting("TR", "18:00", "19:15") + "]");
        Api.Response meetings = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("meetings", evening), Map.of("If-Match", credits.header("ETag")));
        assertThat(meetings.status()).as(meetings.toString()).isEqualTo(200);
        assertFields(meetings.json(), 1, evening, json("[]"));

        Api.Response prerequisites = running.api.send("PATCH", "/registrar/classes/" + classId,
                running.campus.registrar, Map.of("prerequisites", PREREQUISITES),
                Map.of("If-Match", meetings.header("ETag")));
        assertThat(prerequisites.status()).as(prerequisites.toString()).isEqualTo(200);
        assertFields(prerequisites.json(), 1, evening, PREREQUISITES);

        assertProblem(running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("credits", 2), Map.of("If-Match", first)), 412, "precondition-failed");

        Api.Response cleared = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("meetings", List.of(), "credits", 0), Map.of("If-Match", prerequisites.header("ETag")));
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertFields(cleared.json(), 0, json("[]"), PREREQUISITES);
        Api.Response shown = running.api.get("/registrar/classes/" + classId, running.campus.registrar);
        assertThat(shown.json()).isEqualTo(cleared.json());
        assertThat(shown.header("ETag")).isEqualTo(cleared.header("ETag"));
        assertThat(shown.json().get("capacity").asInt()).isEqualTo(5);
        assertThat(shown.json().get("title").asText()).isEqualTo("Class Fields");
    }

    /** Depends on the seat transactions writing the schedule item (docs/api.md "Registration rules"). */
    @Test
    void aChangeOfCreditsRewritesTheScheduleOfEveryStudentInTheClassAndNoOneElses() {
        long classId = created(newClass()).get("id").asLong();
        Student seated = running.campus.student();
        Student dropped = running.campus.student();
        assertThat(running.campus.enroll(seated, classId).status()).isEqualTo(201);
        assertThat(running.campus.enroll(dropped, classId).status()).isEqualTo(201);
        assertThat(running.campus.drop(dropped, classId).status()).isEqualTo(200);
        assertThat(credits(seated)).isEqualTo(3);

        assertThat(patch(classId, Map.of("credits", 5)).status()).isEqualTo(200);
        assertThat(credits(seated)).isEqualTo(5);
        assertThat(credits(dropped)).as("a schedule without the class gains nothing").isZero();
        assertThat(patch(classId, Map.of("meetings", MEETINGS, "credits", 2)).status()).isEqualTo(200);
        assertThat(credits(seated)).isEqualTo(2);
    }

    /** Depends on the seat transactions writing the schedule item (docs/api.md "Registration rules"). */
    @Test
    void aChangeOfCreditsRewritesTheScheduleOfAnOfferHolder() throws Exception {
        ObjectNode body = newClass();
        body.put("capacity", 1);
        body.put("waitlistMode", "offer");
        long classId = created(body).get("id").asLong();
        Student seated = running.campus.student();
        Student waiting = running.campus.student();
        assertThat(running.campus.enroll(seated, classId).status()).isEqualTo(201);
        assertThat(running.campus.enroll(waiting, classId).status()).isEqualTo(202);
        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        for (long end = System.currentTimeMillis() + 20_000;
             running.api.get("/student/offers", waiting.token()).json().get("offers").isEmpty(); Thread.sleep(100)) {
            assertThat(System.currentTimeMillis()).as("the seat is offered within 20 s").isLessThan(end);
        }
        assertThat(credits(waiting)).isEqualTo(3);

        assertThat(patch(classId, Map.of("credits", 4)).status()).isEqualTo(200);
        assertThat(credits(waiting)).isEqualTo(4);
        assertThat(credits(seated)).isZero();
    }

    /** A valid new class body of a course of its own, taught by {@link #instructor}. */
    private static ObjectNode newClass() {
        return JSON.valueToTree(Map.of("department", "CPSC",
                "courseCode", "CF " + UUID.randomUUID().toString().substring(0, 8), "section", 1,
                "title", "Class Fields", "instructorId", instructor.id(), "capacity", 5));
    }

    private static JsonNode created(JsonNode body) {
        Api.Response answer = running.api.post("/registrar/classes", running.campus.registrar, body);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.json();
    }

    private static Api.Response patch(long classId, Object changes) {
        return running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar, changes, Map.of());
    }

    private static int credits(Student student) {
        return running.api.get("/student/registration", student.token()).json().get("credits").asInt();
    }

    /** The class of that id in a list of classes. */
    private static JsonNode listed(JsonNode classes, long classId) {
        for (JsonNode course : classes) {
            if (course.get("id").asLong() == classId) {
                return course;
            }
        }
        throw new AssertionError("class " + classId + " is not in " + classes);
    }

    private static void assertFields(JsonNode course, int credits, JsonNode meetings, JsonNode prerequisites) {
        assertThat(course.get("credits").isInt()).as(course.toString()).isTrue();
        assertThat(course.get("credits").asInt()).as(course.toString()).isEqualTo(credits);
        assertThat(course.get("meetings")).as(course.toString()).isEqualTo(meetings);
        assertThat(course.get("prerequisites")).as(course.toString()).isEqualTo(prerequisites);
    }

    private static String meeting(String days, String start, String end) {
        return "{\"days\": \"" + days + "\", \"start\": \"" + start + "\", \"end\": \"" + end + "\"}";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
