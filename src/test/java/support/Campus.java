package support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Sets up what enrollment tests need through the API itself: instructors, classes, students' tokens. */
public final class Campus {

    private static final AtomicInteger SECTION = new AtomicInteger();

    public final Api api;
    public final Tokens tokens;
    public final String registrar;

    public Campus(Api api, Tokens tokens) {
        this.api = api;
        this.tokens = tokens;
        this.registrar = api.registrarToken();
    }

    /** An instructor account created by the registrar, and a token for it. */
    public record Instructor(long id, String token) {
    }

    public Instructor instructor() {
        Api.Response created = api.post("/registrar/users", registrar, Map.of(
                "username", "i" + UUID.randomUUID().toString().substring(0, 12), "password", "instructor password",
                "name", "Professor X", "roles", List.of("Instructor")));
        if (created.status() != 201) {
            throw new AssertionError("instructor not created: " + created);
        }
        long id = created.json().get("id").asLong();
        return new Instructor(id, tokens.token(id, "Professor X", "Instructor"));
    }

    /**
     * A new class of the given capacity taught by the instructor, of a course of its own (so that the registration
     * rules' duplicate-course check never links two classes of a test), 3 credits, no meetings, no prerequisites;
     * returns its JSON.
     */
    public JsonNode classOf(Instructor instructor, int capacity) {
        return classOf(instructor, capacity, Map.of());
    }

    /**
     * As {@link #classOf(Instructor, int)}, with more fields of the class request (docs/api.md "Classes"), e.g.
     * {@code credits}, {@code meetings}, {@code prerequisites}, or a {@code courseCode} of the test's choosing.
     */
    public JsonNode classOf(Instructor instructor, int capacity, Map<String, Object> fields) {
        int section = SECTION.incrementAndGet();
        Map<String, Object> request = new java.util.HashMap<>(Map.of(
                "department", "CPSC", "courseCode", "CPSC " + section,
                "section", section, "title", "Web Back-End Engineering",
                "instructorId", instructor.id(), "capacity", capacity));
        request.putAll(fields);
        Api.Response created = api.post("/registrar/classes", registrar, request);
        if (created.status() != 201) {
            throw new AssertionError("class not created: " + created);
        }
        return created.json();
    }

    public long newClass(int capacity) {
        return classOf(instructor(), capacity).get("id").asLong();
    }

    /** A new class of a new instructor with more fields of the class request; returns its id. */
    public long newClass(int capacity, Map<String, Object> fields) {
        return classOf(instructor(), capacity, fields).get("id").asLong();
    }

    /** A student id and its token. */
    public record Student(long id, String token) {
    }

    /**
     * A student as the student flows see one: a fresh id and a token for it, without an account (the token is all they
     * read). The registrar's operations on a student need an account: {@link #registeredStudent}.
     */
    public Student student() {
        long id = Tokens.freshId();
        return new Student(id, tokens.student(id));
    }

    /**
     * A student account created by the registrar (a user with the Student role, whom the registrar's operations on a
     * student accept), and a token for it. Costs a password hash (a fraction of a second); for thousands, see
     * {@link RunningService#storedStudents}.
     */
    public Student registeredStudent() {
        Api.Response created = api.post("/registrar/users", registrar, Map.of(
                "username", "s" + UUID.randomUUID().toString().substring(0, 12), "password", "student password",
                "name", "Student", "roles", List.of("Student")));
        if (created.status() != 201) {
            throw new AssertionError("student not created: " + created);
        }
        long id = created.json().get("id").asLong();
        return new Student(id, tokens.student(id));
    }

    /** {@code count} new students enrolling in the class one after another: seated first, then waiting, in order. */
    public List<Student> enrollNew(long classId, int count) {
        List<Student> students = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Student student = student();
            enroll(student, classId);
            students.add(student);
        }
        return students;
    }

    public Api.Response enroll(Student student, long classId) {
        return api.post("/student/enrollments/" + classId, student.token(), null);
    }

    public Api.Response drop(Student student, long classId) {
        return api.delete("/student/enrollments/" + classId, student.token());
    }

    public JsonNode showClass(long classId) {
        return api.get("/registrar/classes/" + classId, registrar).json();
    }

    /**
     * Checks the class as each party sees it: the registrar's counts, the instructor's enrolled list and waiting
     * list (the rows and the Redis list, not only the counters).
     */
    public void assertStored(long classId, int enrolled, int waitlisted) {
        JsonNode course = showClass(classId);
        assertThat(course.get("enrolled").asInt()).isEqualTo(enrolled);
        assertThat(course.get("waitlisted").asInt()).isEqualTo(waitlisted);
        long owner = course.get("instructorId").asLong();
        String ownerToken = tokens.token(owner, "Owner", "Instructor");
        assertThat(api.get("/instructor/classes/" + classId + "/enrolled", ownerToken).json().get("students"))
                .hasSize(enrolled);
        assertThat(api.get("/instructor/classes/" + classId + "/waitlist", ownerToken).json().get("students"))
                .hasSize(waitlisted);
    }
}
