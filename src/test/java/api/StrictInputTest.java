package api;

import static api.ProblemAnswersTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Api;
import support.Campus;
import support.Campus.Instructor;
import support.Campus.Student;
import support.RawHttp;
import support.RunningService;

/**
 * docs/api.md "Errors": a body that is not a JSON object, a fraction where an integer is expected, a charset other than
 * UTF-8, an id that is not ASCII digits, a name that hides or reverses text: each is a 4xx problem on every write
 * endpoint, and nothing is stored.
 */
class StrictInputTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"null", "[]", "[{\"enabled\": false}]", "1", "\"text\"", "true"})
    void aBodyThatIsNotAnObjectIsA400OnEveryWriteEndpoint(String body) {
        long classId = running.campus.newClass(3);
        JsonNode before = running.campus.showClass(classId);
        Student student = running.campus.student();
        Map<String, String> writes = new LinkedHashMap<>();
        writes.put("POST /auth/register", null);
        writes.put("POST /auth/login", null);
        writes.put("POST /registrar/users", running.campus.registrar);
        writes.put("POST /registrar/classes", running.campus.registrar);
        writes.put("PATCH /registrar/classes/" + classId, running.campus.registrar);
        writes.put("PUT /registrar/auto-enrollment", running.campus.registrar);
        writes.put("POST /student/subscribe/" + classId, student.token());
        writes.forEach((request, token) -> {
            String[] methodAndPath = request.split(" ");
            Api.Response answer = running.api.send(methodAndPath[0], methodAndPath[1], token, body, Map.of());
            assertThat(answer.status()).as(request + " " + body).isEqualTo(400);
            assertProblem(answer, 400, "invalid-request");
        });
        assertNothingChanged(classId, before, student);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"capacity: 1.5", "capacity: 1e1", "capacity: 2.0", "section: 1.9", "instructorId: 2.5",
            "capacity: \"10\"", "capacity: true"})
    void aFractionExponentOrOtherTypeWhereAnIntegerIsExpectedIsRefused(String flaw) {
        Instructor instructor = running.campus.instructor();
        String field = flaw.substring(0, flaw.indexOf(':'));
        String value = flaw.substring(flaw.indexOf(':') + 1).trim();
        String courseCode = "FRAC " + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> body = new LinkedHashMap<>(Map.of("department", "\"MATH\"", "courseCode",
                "\"" + courseCode + "\"", "section", "1", "title", "\"Fractions\"",
                "instructorId", Long.toString(instructor.id()), "capacity", "10"));
        body.put(field, value);
        String json = body.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .reduce((a, b) -> a + ", " + b).map(fields -> "{" + fields + "}").orElseThrow();
        Api.Response answer = running.api.post("/registrar/classes", running.campus.registrar, json);
        assertProblem(answer, 400, "invalid-request");
        assertThat(answer.json().get("detail").asText()).contains(field);
        // nothing stored: the section is still free
        body.put(field, field.equals("instructorId") ? Long.toString(instructor.id()) : "1");
        assertThat(running.api.post("/registrar/classes", running.campus.registrar, body.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue()).reduce((a, b) -> a + ", " + b)
                .map(fields -> "{" + fields + "}").orElseThrow()).status()).isEqualTo(201);

        long classId = running.campus.newClass(3);
        JsonNode before = running.campus.showClass(classId);
        Api.Response patch = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                "{\"capacity\": " + (field.equals("capacity") ? value : "1.5") + "}", Map.of());
        assertProblem(patch, 400, "invalid-request");
        assertThat(running.campus.showClass(classId)).isEqualTo(before);
    }

    @Test
    void aCharsetOtherThanUtf8IsA415AndAnUnknownOneNeverA500() {
        String username = "cs" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"username\": \"" + username + "\", \"password\": \"a long password\", \"name\": \"N\"}";
        for (String charset : List.of("bogus", "utf-16", "iso-8859-1", "\"no-such-charset\"")) {
            Api.Response answer = running.api.send("POST", "/auth/register", null, body,
                    Map.of("Content-Type", "application/json; charset=" + charset));
            assertProblem(answer, 415, "unsupported-media-type");
        }
        try (RawHttp connection = new RawHttp(running.service)) {
            // 0xC3 starts a two-byte UTF-8 sequence that never comes
            RawHttp.Answer notUtf8 = connection.send("POST /auth/register HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 3\r\n\r\n{\u00C3}").read();
            assertThat(notUtf8.status()).isEqualTo(400);
            assertThat(notUtf8.json().get("code").asText()).isEqualTo("invalid-request");
        }
        assertThat(running.api.post("/auth/register", null, body).status()).isEqualTo(201);
        assertThat(running.api.send("POST", "/auth/register", null, body.replace(username, username + "x"),
                Map.of("Content-Type", "application/json; charset=UTF-8")).status()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
            "application/json-patch+json", "application/jsonx", "text/json; charset=utf-8"})
    void aBodyDeclaredAsAnythingButApplicationJsonIsA415AndNothingIsStored(String mediaType) {
        String username = "mt" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"username\": \"" + username + "\", \"password\": \"a long password\", \"name\": \"N\"}";
        assertProblem(running.api.send("POST", "/auth/register", null, body, Map.of("Content-Type", mediaType)),
                415, "unsupported-media-type");
        assertThat(running.api.post("/auth/login", null, Map.of("username", username, "password", "a long password"))
                .status()).as("no account was made").isEqualTo(401);
        // the same body as application/json (any case, with or without the UTF-8 charset) is read
        assertThat(running.api.send("POST", "/auth/register", null, body,
                Map.of("Content-Type", "Application/JSON")).status()).isEqualTo(201);
    }

    @Test
    void aBodyWithoutContentTypeIsA415AndNothingIsStored() {
        long classId = running.campus.newClass(3);
        JsonNode before = running.campus.showClass(classId);
        String patch = "{\"capacity\": 7}";
        try (RawHttp connection = new RawHttp(running.service)) {
            RawHttp.Answer answer = connection.send("PATCH /registrar/classes/" + classId + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer " + running.campus.registrar + "\r\n"
                    + "Content-Length: " + patch.length() + "\r\n\r\n" + patch).read();
            assertThat(answer.status()).isEqualTo(415);
            assertThat(answer.json().get("code").asText()).isEqualTo("unsupported-media-type");
        }
        assertThat(running.campus.showClass(classId)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"+", "full-width", "arabic-indic", "-", "space", ".0", "0x"})
    void anIdThatIsNotAsciiDigitsIsA400AndNeverNamesTheClass(String form) {
        long classId = running.campus.newClass(3);
        String digits = Long.toString(classId);
        String id = switch (form) {
            case "+" -> "+" + digits;
            case "full-width" -> shift(digits, '\uFF10');
            case "arabic-indic" -> shift(digits, '\u0660');
            case "-" -> "-" + digits;
            case "space" -> " " + digits;
            case ".0" -> digits + ".0";
            default -> "0x" + Long.toHexString(classId);
        };
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%2B", "+");
        Student student = running.campus.student();
        JsonNode before = running.campus.showClass(classId);
        for (String request : List.of("POST /student/enrollments/", "DELETE /student/enrollments/",
                "GET /student/waitlist/", "DELETE /student/waitlist/", "POST /student/subscribe/",
                "DELETE /student/unsubscribe/")) {
            String[] methodAndPath = request.split(" ");
            Object body = methodAndPath[1].contains("subscribe/") && methodAndPath[0].equals("POST")
                    ? Map.of("email", "student@example.com") : null;
            Api.Response answer = running.api.send(methodAndPath[0], methodAndPath[1] + encoded, student.token(), body,
                    Map.of());
            assertProblem(answer, 400, "invalid-request");
        }
        for (String request : List.of("GET /registrar/classes/", "PATCH /registrar/classes/",
                "DELETE /registrar/classes/")) {
            String[] methodAndPath = request.split(" ");
            Object body = methodAndPath[0].equals("PATCH") ? Map.of("title", "Hijacked") : null;
            assertProblem(running.api.send(methodAndPath[0], methodAndPath[1] + encoded, running.campus.registrar, body, Map.of()),
                    400, "invalid-request");
        }
        long owner = before.get("instructorId").asLong();
        assertProblem(running.api.delete("/instructor/classes/" + encoded + "/students/1",
                running.tokens.token(owner, "Owner", "Instructor")), 400, "invalid-request");
        assertProblem(running.api.delete("/instructor/classes/" + classId + "/students/" + encoded,
                running.tokens.token(owner, "Owner", "Instructor")), 400, "invalid-request");
        assertNothingChanged(classId, before, student);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Ada \u202Eecalevol", "\u200B\u200B\u200B", "Ada\u0007", "Ada\u2066 x", " \u3164 ",
            "\u2028", "Ada\nLovelace", "\uFEFF"})
    void aNameThatHidesOrReversesTextIsRefusedEverywhereANameIsTaken(String name) {
        String username = "nm" + UUID.randomUUID().toString().substring(0, 8);
        assertProblem(running.api.post("/auth/register", null, Map.of("username", username, "password", "a long password",
                "name", name)), 400, "invalid-request");
        assertProblem(running.api.post("/registrar/users", running.campus.registrar, Map.of("username", username,
                "password", "a long password", "name", name, "roles", List.of("Instructor"))), 400, "invalid-request");
        Instructor instructor = running.campus.instructor();
        String courseCode = "NAME " + UUID.randomUUID().toString().substring(0, 6);
        assertProblem(running.api.post("/registrar/classes", running.campus.registrar, Map.of("department", "CPSC",
                "courseCode", courseCode, "section", 1, "title", name, "instructorId", instructor.id(),
                "capacity", 5)), 400, "invalid-request");
        long classId = running.campus.newClass(3);
        JsonNode before = running.campus.showClass(classId);
        assertProblem(running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar, Map.of("title", name),
                Map.of()), 400, "invalid-request");
        assertThat(running.campus.showClass(classId)).isEqualTo(before);
        // nothing stored: the username and the section are still free
        assertThat(running.api.post("/auth/register", null, Map.of("username", username, "password", "a long password",
                "name", "Ada")).status()).isEqualTo(201);
        assertThat(running.api.post("/registrar/classes", running.campus.registrar, Map.of("department", "CPSC",
                "courseCode", courseCode, "section", 1, "title", "Fine", "instructorId", instructor.id(),
                "capacity", 5)).status()).isEqualTo(201);
    }

    @Test
    void namesAreStoredInNormalizationFormC() {
        String decomposed = "Ame\u0301lie Poulain";
        Api.Response registered = running.api.post("/auth/register", null, Map.of("username",
                "nfc" + UUID.randomUUID().toString().substring(0, 8), "password", "a long password",
                "name", decomposed));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("name").asText()).isEqualTo("Am\u00e9lie Poulain");
        long classId = running.campus.newClass(3);
        Api.Response patched = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("title", "Caf\u0065\u0301 Studies \u0627\u0644\u0639\u0631\u0628\u064A\u0629"), Map.of());
        assertThat(patched.status()).isEqualTo(200);
        assertThat(running.campus.showClass(classId).get("title").asText())
                .isEqualTo("Caf\u00e9 Studies \u0627\u0644\u0639\u0631\u0628\u064A\u0629");
    }

    @Test
    void theKeySetNamesItsAlgorithmAndUseAndMayBeCached() {
        Api.Response jwks = running.api.get("/auth/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        JsonNode key = jwks.json().get("keys").get(0);
        assertThat(key.get("alg").asText()).isEqualTo("RS256");
        assertThat(key.get("use").asText()).isEqualTo("sig");
        assertThat(key.get("kid").asText()).isNotBlank();
        assertThat(key.has("d")).isFalse();
        assertThat(jwks.header("Cache-Control")).matches(".*max-age=\\d+.*");
    }

    /** The class, the student's seats and places, and their subscriptions are as they were. */
    private static void assertNothingChanged(long classId, JsonNode before, Student student) {
        assertThat(running.campus.showClass(classId)).isEqualTo(before);
        JsonNode mine = running.api.get("/student/enrollments", student.token()).json();
        assertThat(mine.get("enrolled")).isEmpty();
        assertThat(mine.get("waitlisted")).isEmpty();
        assertThat(running.api.get("/student/subscriptions", student.token()).json().get("subscriptions")).isEmpty();
    }

    /** The id written in another script's digits (U+FF10 full-width, U+0660 Arabic-Indic). */
    private static String shift(String digits, char zero) {
        StringBuilder shifted = new StringBuilder();
        digits.chars().forEach(c -> shifted.append((char) (zero + (c - '0'))));
        return shifted.toString();
    }
}
