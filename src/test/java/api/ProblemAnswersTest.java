package api;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.Api;
import support.TestService;

/** Bad input gets a clear RFC 9457 answer, never a trace, and changes nothing. */
class ProblemAnswersTest {

    static EnrollmentService service;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start();
        api = new Api(service);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON        | {\"username\": \"USER\", \"password\": ",
            "not an object         | [\"USER\", \"a long password\", \"Name\"]",
            "unknown field         | {\"username\": \"USER\", \"password\": \"a long password\", \"name\": \"N\", \"admin\": true}",
            "wrong type            | {\"username\": \"USER\", \"password\": 12345678901, \"name\": \"N\"}",
            "missing field         | {\"username\": \"USER\", \"password\": \"a long password\"}",
            "null field            | {\"username\": \"USER\", \"password\": \"a long password\", \"name\": null}",
            "trailing garbage      | {\"username\": \"USER\", \"password\": \"a long password\", \"name\": \"N\"} x",
            "short password        | {\"username\": \"USER\", \"password\": \"short\", \"name\": \"N\"}",
            "empty body            | ''"})
    void aRefusedRegistrationIsA400AndStoresNothing(String flaw, String template) {
        String username = "u" + UUID.randomUUID().toString().substring(0, 10);
        Api.Response answer = api.post("/auth/register", null, template.replace("USER", username));
        assertThat(answer.status()).as(flaw).isEqualTo(400);
        assertProblem(answer, 400, "invalid-request");
        assertThat(answer.json().get("detail").asText()).as(flaw).isNotBlank()
                .doesNotContain("Exception", "java.", "com.fasterxml", "auth.", "127.0.0.1");
        // nothing was stored: the same username is still free
        Api.Response later = api.post("/auth/register", null,
                Map.of("username", username, "password", "a long password", "name", "Later"));
        assertThat(later.status()).as(flaw).isEqualTo(201);
    }

    @Test
    void aBodyOver64KiBIsA413() {
        String huge = "{\"username\": \"" + "x".repeat(70_000) + "\", \"password\": \"p\", \"name\": \"n\"}";
        Api.Response answer = api.post("/auth/register", null, huge);
        assertProblem(answer, 413, "payload-too-large");
    }

    @Test
    void aBodyJustUnder64KiBIsReadAndJudgedOnItsContent() {
        String large = "{\"username\": \"big\", \"password\": \"a long password\", \"name\": \"" + "n".repeat(65_000) + "\"}";
        Api.Response answer = api.post("/auth/register", null, large);
        assertProblem(answer, 400, "invalid-request");
    }

    @Test
    void anUnknownPathIsAProblemToo() {
        assertProblem(api.get("/no/such/thing", null), 404, "not-found");
    }

    static void assertProblem(Api.Response answer, int status, String code) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asText()).isEqualTo("about:blank");
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("title").asText()).isNotBlank();
        assertThat(answer.json().get("code").asText()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain("Exception", "at org.", "at java.");
    }
}
