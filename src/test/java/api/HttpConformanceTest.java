package api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * HTTP/1.1 as RFC 9110 and 9112 ask, over raw sockets where a client library cannot send the request: what the HTTP
 * layer refuses is a problem answer, a request smuggled behind Content-Length + Transfer-Encoding is never read,
 * every answer carries Date, every GET resource answers HEAD, and a wrong method gets 405 with Allow.
 */
class HttpConformanceTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void anHttp11RequestWithoutHostIsA400Problem() {
        try (RawHttp connection = new RawHttp(running.service)) {
            RawHttp.Answer answer = connection.send("GET /auth/jwks.json HTTP/1.1\r\n\r\n").read();
            assertProblem(answer, 400, "invalid-request");
            assertThat(answer.body()).contains("Host");
        }
    }

    @Test
    void optionsStarIsA400Problem() {
        try (RawHttp connection = new RawHttp(running.service)) {
            assertProblem(connection.send("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n").read(), 400,
                    "invalid-request");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "gzip, chunked", "identity", "Chunked"})
    void contentLengthWithTransferEncodingIsRefusedAndNothingSmuggledIsRead(String transferEncoding) {
        String username = "smuggled" + UUID.randomUUID().toString().substring(0, 8);
        String smuggled = "{\"username\":\"" + username + "\",\"password\":\"a long password\",\"name\":\"Smuggled\"}";
        String next = "POST /auth/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + smuggled.length() + "\r\n\r\n" + smuggled;
        try (RawHttp connection = new RawHttp(running.service)) {
            RawHttp.Answer answer = connection.send("POST /auth/login HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: " + transferEncoding
                    + "\r\n\r\n"
                    + "0\r\n\r\n" + next).read();
            assertProblem(answer, 400, "invalid-request");
            assertThat(answer.body()).contains("Content-Length", "Transfer-Encoding");
            assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closedByServer()).isTrue();
        }
        // the request behind the chunked body was never run: the username is still free
        assertThat(running.api.post("/auth/register", null, Map.of("username", username, "password", "a long password",
                "name", "Later")).status()).isEqualTo(201);
    }

    @Test
    void aUrlOver8KiBIsA414ProblemInHttp11() {
        try (RawHttp connection = new RawHttp(running.service)) {
            RawHttp.Answer answer = connection.send("GET /student/classes?q=" + "a".repeat(9_000)
                    + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            assertThat(answer.statusLine()).startsWith("HTTP/1.1 414");
            assertProblem(answer, 414, "uri-too-long");
        }
    }

    @Test
    void aUrlJustUnder8KiBIsServed() {
        try (RawHttp connection = new RawHttp(running.service)) {
            String path = "/auth/jwks.json?q=";
            RawHttp.Answer answer = connection.send("GET " + path + "a".repeat(8 * 1024 - path.length())
                    + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            assertThat(answer.status()).isEqualTo(200);
        }
    }

    @Test
    void aUrlBeyondWhatTheDecoderReadsIsStillA414Problem() {
        try (RawHttp connection = new RawHttp(running.service)) {
            RawHttp.Answer answer = connection.send("GET /student/classes?q=" + "a".repeat(100_000)
                    + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            assertProblem(answer, 414, "uri-too-long");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a100KBHeaderBlockIsA431ProblemAndTheConnectionCloses() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("v".repeat(1_000)).append("\r\n");
        }
        try (RawHttp connection = new RawHttp(running.service)) {
            RawHttp.Answer answer = connection.send("GET /auth/jwks.json HTTP/1.1\r\nHost: localhost\r\n" + headers
                    + "\r\n").read();
            assertThat(answer.statusLine()).startsWith("HTTP/1.1 431");
            assertProblem(answer, 431, "headers-too-large");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void everyGetResourceAnswersHeadWithTheSameStatusAndHeadersAndNoBody() {
        Instructor instructor = running.campus.instructor();
        long classId = running.campus.classOf(instructor, 1).get("id").asLong();
        Student second = running.campus.enrollNew(classId, 2).get(1);
        String student = second.token();
        List<String[]> resources = List.of(
                new String[] {"/auth/jwks.json", null},
                new String[] {"/student/classes", student},
                new String[] {"/student/enrollments", student},
                new String[] {"/student/waitlist/" + classId, student},
                new String[] {"/student/subscriptions", student},
                new String[] {"/instructor/classes", instructor.token()},
                new String[] {"/instructor/classes/" + classId + "/enrolled", instructor.token()},
                new String[] {"/instructor/classes/" + classId + "/dropped", instructor.token()},
                new String[] {"/instructor/classes/" + classId + "/waitlist", instructor.token()},
                new String[] {"/registrar/classes/" + classId, running.campus.registrar},
                new String[] {"/registrar/dead-letters", running.campus.registrar},
                new String[] {"/student/waitlist/" + classId, null});
        for (String[] resource : resources) {
            String authorization = resource[1] == null ? "" : "Authorization: Bearer " + resource[1] + "\r\n";
            try (RawHttp connection = new RawHttp(running.service)) {
                RawHttp.Answer get = connection.send("GET " + resource[0] + " HTTP/1.1\r\nHost: localhost\r\n"
                        + authorization + "\r\n").read();
                RawHttp.Answer head = connection.send("HEAD " + resource[0] + " HTTP/1.1\r\nHost: localhost\r\n"
                        + authorization + "\r\n").read(true);
                assertThat(head.status()).as(resource[0]).isEqualTo(get.status());
                assertThat(head.status()).as(resource[0]).isNotEqualTo(404);
                for (String name : List.of("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control",
                        "WWW-Authenticate")) {
                    assertThat(head.header(name)).as(resource[0] + " " + name).isEqualTo(get.header(name));
                }
                assertThat(head.header("Date")).as(resource[0]).isNotNull();
                // no body came: the next answer on the connection starts right after the head
                assertThat(connection.send("GET /auth/jwks.json HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status())
                        .isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT /student/classes|GET, HEAD", "DELETE /auth/login|POST",
            "GET /student/enrollments/1|DELETE, POST", "POST /registrar/classes/1|DELETE, GET, HEAD, PATCH",
            "PATCH /registrar/auto-enrollment|PUT"})
    void aMethodThePathDoesNotServeIsA405WithAllowFromTheRestDefinitions(String request) {
        String[] parts = request.split("\\|");
        String[] methodAndPath = parts[0].split(" ");
        Api.Response answer = running.api.send(methodAndPath[0], methodAndPath[1], running.campus.registrar, null, Map.of());
        assertThat(answer.status()).as(request).isEqualTo(405);
        assertThat(answer.header("Allow")).as(request).isEqualTo(parts[1]);
        ProblemAnswersTest.assertProblem(answer, 405, "method-not-allowed");
        assertThat(answer.header("Date")).isNotNull();
    }

    @Test
    void everyAnswerCarriesAnHttpDate() {
        long classId = running.campus.newClass(1);
        Student student = running.campus.student();
        running.campus.enroll(running.campus.student(), classId);
        running.campus.enroll(student, classId);
        String etag = running.api.get("/student/waitlist/" + classId, student.token()).header("ETag");
        List<Api.Response> answers = List.of(
                running.api.get("/auth/jwks.json", null),                                            // 200
                running.campus.enroll(running.campus.student(), classId),                                     // 202
                running.api.send("GET", "/student/waitlist/" + classId, student.token(), null,
                        Map.of("If-None-Match", etag)),                                       // 304
                running.api.post("/auth/register", null, "null"),                                     // 400
                running.api.get("/student/classes", null),                                            // 401
                running.api.get("/registrar/dead-letters", student.token()),                          // 403
                running.api.get("/no/such/thing", null),                                              // 404
                running.api.send("PUT", "/student/classes", student.token(), null, Map.of()),         // 405
                running.api.get("/observe/health", null));
        for (Api.Response answer : answers) {
            assertThat(answer.header("Date")).as(answer.toString()).isNotNull();
            ZonedDateTime date = ZonedDateTime.parse(answer.header("Date"), DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(Duration.between(date, ZonedDateTime.now()).abs()).isLessThan(Duration.ofMinutes(1));
            assertThat(answer.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        }
        try (RawHttp connection = new RawHttp(running.service)) {
            assertThat(connection.send("GET /x HTTP/1.1\r\nHost: localhost\r\n" + "X: " + "v".repeat(20_000)
                    + "\r\n\r\n").read().header("Date")).isNotNull();
        }
    }

    static void assertProblem(RawHttp.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.statusLine() + " " + answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.header("Date")).isNotNull();
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("code").asText()).isEqualTo(code);
        assertThat(answer.json().get("title").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception", "at org.", "at java.");
    }
}
