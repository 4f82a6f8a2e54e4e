package api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import enrollment.AutoEnrollment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import support.Api;
import support.Campus;
import support.Campus.Instructor;
import support.Campus.Student;
import support.RunningService;

/**
 * Property: whatever malformed body or id a client sends to a write endpoint, the answer is a 4xx problem, never a
 * 5xx, and nothing is stored. Bodies are the endpoints' valid requests broken in one way each (not an object,
 * truncated, a field of the wrong type or a fraction for an integer, a refused name, an unknown or duplicated
 * field, trailing tokens, a charset other than UTF-8); ids are the id of a real class written in any way that is
 * not plain ASCII digits (signs, spaces, other scripts' digits, fractions, hex, overflow).
 */
class MalformedRequestsPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VALID_ID = Pattern.compile("[0-9]{1,19}");

    static final RunningService running = new RunningService();
    static Api api;
    static Campus campus;
    static Instructor instructor;
    static long classId;
    static Student student;
    static String username;
    static String courseCode;

    @BeforeContainer
    static void start() throws Exception {
        running.start();
        api = running.api;
        campus = running.campus;
        instructor = campus.instructor();
        classId = campus.classOf(instructor, 1).get("id").asLong();
        campus.enroll(campus.student(), classId);
        campus.enroll(campus.student(), classId);
        student = campus.student();
        username = "prop" + UUID.randomUUID().toString().substring(0, 8);
        courseCode = "PROP " + UUID.randomUUID().toString().substring(0, 6);
    }

    @AfterContainer
    static void stop() {
        try {
            // nothing generated created the account or the section the broken requests were made of
            assertThat(api.post("/auth/register", null, Map.of("username", username, "password", "a long password",
                    "name", "Property")).status()).isEqualTo(201);
            assertThat(api.post("/registrar/classes", campus.registrar, Map.of("department", "PROP",
                    "courseCode", courseCode, "section", 1, "title", "Property", "instructorId", instructor.id(),
                    "capacity", 5)).status()).isEqualTo(201);
        } finally {
            running.close();
        }
    }

    /** A write endpoint with a body: its valid request, field by field, and whether each field may be left out. */
    record Write(String method, String path, boolean registrar, Map<String, Field> fields) {
    }

    record Field(Object valid, Kind kind, boolean optional) {
    }

    enum Kind { INTEGER, TEXT, NAME, BOOLEAN, LIST }

    /** A broken request: its body text, the Content-Type it is sent with, and how it was broken (for reports). */
    record Malformed(Write write, String body, String contentType, String flaw) {
    }

    @Property(tries = 250)
    void aMalformedBodyIsA4xxProblemAndStoresNothing(@ForAll("malformedBodies") Malformed request) {
        JsonNode before = campus.showClass(classId);
        boolean autoEnrollment = autoEnrollment();
        String path = request.write().path().replace("{classId}", Long.toString(classId));
        Api.Response answer = api.send(request.write().method(), path,
                request.write().registrar() ? campus.registrar : student.token(), request.body(),
                Map.of("Content-Type", request.contentType()));
        assertProblem(answer, request.flaw() + ": " + request.body());
        assertNothingStored(before, autoEnrollment);
    }

    @Property(tries = 250)
    void anIdThatIsNotAsciiDigitsIsA4xxProblemAndStoresNothing(@ForAll("badIds") String id,
            @ForAll("idRequests") String request) {
        JsonNode before = campus.showClass(classId);
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%2B", "+");
        String[] methodAndPath = request.split(" ");
        String path = methodAndPath[1].replace("{id}", encoded).replace("{classId}", Long.toString(classId));
        String token = path.startsWith("/registrar") ? campus.registrar
                : path.startsWith("/instructor") ? running.tokens.token(instructor.id(), "Professor X", "Instructor")
                : student.token();
        Object body = path.contains("/subscribe/") ? Map.of("email", "student@example.com")
                : path.startsWith("/registrar/classes") && methodAndPath[0].equals("PATCH") ? Map.of("title", "Hijacked")
                : null;
        Api.Response answer = api.send(methodAndPath[0], path, token, body, Map.of());
        assertProblem(answer, request + " with id '" + id + "'");
        assertNothingStored(before, autoEnrollment());
    }

    @Provide
    Arbitrary<Malformed> malformedBodies() {
        // a wrong value has by far the most forms: it gets most of the tries
        return Arbitraries.of(writes()).flatMap(write -> Arbitraries.frequencyOf(
                Tuple.of(2, notAnObject(write)), Tuple.of(2, truncated(write)), Tuple.of(8, wrongType(write)),
                Tuple.of(1, unknownField(write)), Tuple.of(1, duplicatedField(write)), Tuple.of(1, trailingTokens(write)),
                Tuple.of(1, otherCharset(write))));
    }

    @Provide
    Arbitrary<String> idRequests() {
        return Arbitraries.of("POST /student/enrollments/{id}", "DELETE /student/enrollments/{id}",
                "GET /student/waitlist/{id}", "DELETE /student/waitlist/{id}", "POST /student/subscribe/{id}",
                "DELETE /student/unsubscribe/{id}", "GET /registrar/classes/{id}", "PATCH /registrar/classes/{id}",
                "DELETE /registrar/classes/{id}", "GET /instructor/classes/{id}/enrolled",
                "GET /instructor/classes/{id}/waitlist", "DELETE /instructor/classes/{id}/students/1",
                "DELETE /instructor/classes/{classId}/students/{id}");
    }

    /** The real class's id, written as anything but plain ASCII digits. */
    @Provide
    Arbitrary<String> badIds() {
        String digits = Long.toString(classId);
        Arbitrary<Character> zero = Arbitraries.of('\u0660', '\u06F0', '\u07C0', '\u0966', '\u09E6', '\u0A66',
                '\u0AE6', '\u0B66', '\u0BE6', '\u0C66', '\u0CE6', '\u0D66', '\u0E50', '\u0ED0', '\u0F20', '\u1040',
                '\u17E0', '\u1810', '\uFF10');
        Arbitrary<String> otherScript = Combinators.combine(zero, Arbitraries.integers().between(0, digits.length() - 1))
                .as((z, keep) -> {
                    StringBuilder id = new StringBuilder(digits);
                    for (int i = keep; i < id.length(); i++) {
                        id.setCharAt(i, (char) (z + (id.charAt(i) - '0')));
                    }
                    return id.toString();
                });
        Arbitrary<String> decorated = Combinators.combine(
                Arbitraries.of("", "+", "-", " ", "\t", "0x", "#", "\u200B", "\uFEFF", "\u00A0"),
                Arbitraries.of("", ".0", "e0", " ", ",", "L", "%", "\u0301", "\u200B", ";x"))
                .as((before, after) -> before + digits + after);
        Arbitrary<String> overflow = Arbitraries.bigIntegers()
                .between(new java.math.BigInteger("9223372036854775808"), new java.math.BigInteger("9".repeat(30)))
                .map(Object::toString);
        Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789+-.,eE xX_\u0660\uFF11").ofMinLength(1)
                .ofMaxLength(24);
        return Arbitraries.oneOf(otherScript, decorated, overflow, noise, Arbitraries.of("0", "00", "-0"))
                .filter(id -> !isValidId(id));
    }

    private static List<Write> writes() {
        String name = UUID.randomUUID().toString();
        return List.of(
                new Write("POST", "/auth/register", false, fields("username", username, Kind.TEXT,
                        "password", "a long password", Kind.TEXT, "name", "Property " + name, Kind.NAME)),
                new Write("POST", "/auth/login", false, fields("username", username, Kind.TEXT,
                        "password", "a long password", Kind.TEXT)),
                new Write("POST", "/registrar/users", true, withRoles(fields("username", username, Kind.TEXT,
                        "password", "a long password", Kind.TEXT, "name", "Property", Kind.NAME))),
                new Write("POST", "/registrar/classes", true, fields("department", "PROP", Kind.NAME,
                        "courseCode", courseCode, Kind.NAME, "section", 1, Kind.INTEGER, "title", "Property", Kind.NAME,
                        "instructorId", instructor.id(), Kind.INTEGER, "capacity", 5, Kind.INTEGER)),
                new Write("PATCH", "/registrar/classes/{classId}", true, optional(fields("title", "Hijacked", Kind.NAME,
                        "capacity", 7, Kind.INTEGER, "instructorId", instructor.id(), Kind.INTEGER))),
                new Write("PUT", "/registrar/auto-enrollment", true, fields("enabled", !autoEnrollment(), Kind.BOOLEAN)),
                new Write("POST", "/student/subscribe/{classId}", false, fields("email", "student@example.com",
                        Kind.TEXT)));
    }

    private static Arbitrary<Malformed> notAnObject(Write write) {
        return Arbitraries.of("null", "[]", "[" + json(write.fields()) + "]", "0", "1.5", "\"text\"", "true", "false",
                "[null]", "{}", "").map(body -> new Malformed(write, body, "application/json", "not an object"));
    }

    private static Arbitrary<Malformed> truncated(Write write) {
        String whole = json(write.fields());
        return Arbitraries.integers().between(1, whole.length() - 1)
                .map(end -> new Malformed(write, whole.substring(0, end), "application/json", "truncated"));
    }

    private static Arbitrary<Malformed> wrongType(Write write) {
        List<String> names = new ArrayList<>(write.fields().keySet());
        return Arbitraries.of(names).flatMap(name -> wrongValues(write.fields().get(name))
                .map(value -> {
                    Map<String, Object> fields = values(write.fields());
                    fields.put(name, RawValue.of(value));
                    return new Malformed(write, json(fields), "application/json", name + " = " + value);
                }));
    }

    private static Arbitrary<Malformed> unknownField(Write write) {
        return Arbitraries.of("admin", "id", "roles ", "Username", "enrolled", "__proto__").map(extra -> {
            Map<String, Object> fields = values(write.fields());
            fields.put(extra, true);
            return new Malformed(write, json(fields), "application/json", "unknown field " + extra);
        });
    }

    private static Arbitrary<Malformed> duplicatedField(Write write) {
        return Arbitraries.of(new ArrayList<>(write.fields().keySet())).map(name -> {
            String whole = json(write.fields());
            String twice = whole.substring(0, whole.length() - 1) + ", \"" + name + "\": "
                    + json(write.fields().get(name).valid()) + "}";
            return new Malformed(write, twice, "application/json", "duplicated " + name);
        });
    }

    private static Arbitrary<Malformed> trailingTokens(Write write) {
        return Arbitraries.of(" x", " {}", ",", " null", "]", " 1").map(tail ->
                new Malformed(write, json(write.fields()) + tail, "application/json", "trailing" + tail));
    }

    private static Arbitrary<Malformed> otherCharset(Write write) {
        return Arbitraries.of("bogus", "utf-16", "latin1", "x-unknown-42", "\"\"", "utf-32le")
                .map(charset -> new Malformed(write, json(write.fields()), "application/json; charset=" + charset,
                        "charset " + charset));
    }

    /** Values of the wrong type for a field, or refused by its rules; null only where the field is required. */
    private static Arbitrary<String> wrongValues(Field field) {
        List<String> common = new ArrayList<>(List.of("[]", "{}", "[1]", "{\"a\": 1}"));
        if (!field.optional()) {
            common.add("null");
        }
        Arbitrary<String> kindly = switch (field.kind()) {
            case INTEGER -> Arbitraries.oneOf(
                    Arbitraries.doubles().between(-1e6, 1e6).filter(d -> d != Math.rint(d)).map(Object::toString),
                    Arbitraries.of("1e1", "1E2", "5.0", "-0.0", "1e400", "0.1", "\"5\"", "true", "0", "-3",
                            "99999999999999999999", "1_000"));
            case TEXT -> Arbitraries.of("5", "1.5", "true", "false");
            case NAME -> Arbitraries.of("5", "true", "\"\"", "\"   \"", "\"\\u202Eevil\"", "\"\\u200B\\u200B\"",
                    "\"a\\u0000b\"", "\"x\\u2066y\"", "\"\\u3164\"", "\"line\\nbreak\"", "\"\\uD800\"",
                    "\"" + "n".repeat(300) + "\"");
            case BOOLEAN -> Arbitraries.of("1", "0", "\"true\"", "\"yes\"", "\"false\"", "1.0");
            case LIST -> Arbitraries.of("\"Instructor\"", "[\"Dean\"]", "[]", "[1]", "[null]", "true");
        };
        return Arbitraries.oneOf(Arbitraries.of(common), kindly);
    }

    private static Map<String, Field> fields(Object... triples) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            fields.put((String) triples[i], new Field(triples[i + 1], (Kind) triples[i + 2], false));
        }
        return fields;
    }

    private static Map<String, Field> withRoles(Map<String, Field> fields) {
        fields.put("roles", new Field(List.of("Instructor"), Kind.LIST, false));
        return fields;
    }

    private static Map<String, Field> optional(Map<String, Field> fields) {
        fields.replaceAll((name, field) -> new Field(field.valid(), field.kind(), true));
        return fields;
    }

    private static Map<String, Object> values(Map<String, Field> fields) {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.forEach((name, field) -> values.put(name, field.valid()));
        return values;
    }

    /** JSON text put into a body as it is (a value Jackson would otherwise quote). */
    record RawValue(String text) {
        static RawValue of(String text) {
            return new RawValue(text);
        }
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> members = new ArrayList<>();
            map.forEach((name, member) -> members.add(json(name) + ": " + json(member instanceof Field field
                    ? field.valid() : member)));
            return "{" + String.join(", ", members) + "}";
        }
        if (value instanceof RawValue raw) {
            return raw.text();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isValidId(String id) {
        return VALID_ID.matcher(id).matches() && id.chars().anyMatch(c -> c != '0')
                && new java.math.BigInteger(id).compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE)) <= 0;
    }

    private static boolean autoEnrollment() {
        // the switch's row as the service reads it (route read-auto-enrollment); docs/api.md has no GET for it
        try (var template = running.service.camelContext().createFluentProducerTemplate()) {
            return template.to("direct:read-auto-enrollment").request(AutoEnrollment.Switch.class).enabled();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertProblem(Api.Response answer, String what) {
        assertThat(answer.status()).as(what + " → " + answer).isBetween(400, 499);
        assertThat(answer.header("Content-Type")).as(what).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(answer.status());
        assertThat(problem.get("code").asText()).as(what).isNotBlank();
        assertThat(answer.body()).as(what).doesNotContain("Exception", "at org.", "at java.", "com.fasterxml");
    }

    /** The class, the student's places and subscriptions, the switch and the catalogue are as they were. */
    private static void assertNothingStored(JsonNode classBefore, boolean autoEnrollmentBefore) {
        assertThat(campus.showClass(classId)).isEqualTo(classBefore);
        JsonNode mine = api.get("/student/enrollments", student.token()).json();
        assertThat(mine.get("enrolled")).isEmpty();
        assertThat(mine.get("waitlisted")).isEmpty();
        assertThat(api.get("/student/subscriptions", student.token()).json().get("subscriptions")).isEmpty();
        assertThat(autoEnrollment()).isEqualTo(autoEnrollmentBefore);
        assertThat(api.get("/student/classes", student.token()).body()).doesNotContain(courseCode);
    }
}
