package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.TestService;
import support.Tokens;

/**
 * {@code GET /student/classes} is answered from a Redis cache (issue 11), and is never stale after a change: a
 * class created, a seat taken or given back, a waiting list joined or left, a patch, a removal. Each step reads
 * the listing twice, so the second answer is the cached one.
 */
class ClassListingCacheTest {

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
    void theListingFollowsEveryChangeOfAClass() {
        Student reader = campus.student();
        long classId = campus.newClass(1);
        assertListed(reader, classId, 0, 0, "Web Back-End Engineering");

        Student seated = campus.student();
        assertThat(campus.enroll(seated, classId).status()).isEqualTo(201);
        assertListed(reader, classId, 1, 0, "Web Back-End Engineering");

        Api.Response patched = api.send("PATCH", "/registrar/classes/" + classId, campus.registrar,
                Map.of("title", "Renamed"), Map.of());
        assertThat(patched.status()).isEqualTo(200);
        assertListed(reader, classId, 1, 0, "Renamed");

        Student waiting = campus.student();
        assertThat(campus.enroll(waiting, classId).status()).isEqualTo(202);
        assertListed(reader, classId, 1, 1, "Renamed");

        assertThat(api.delete("/student/waitlist/" + classId, waiting.token()).status()).isEqualTo(200);
        assertListed(reader, classId, 1, 0, "Renamed");

        assertThat(campus.drop(seated, classId).status()).isEqualTo(200);
        assertListed(reader, classId, 0, 0, "Renamed");

        assertThat(api.delete("/registrar/classes/" + classId, campus.registrar).status()).isEqualTo(200);
        for (int read = 0; read < 2; read++) {
            assertThat(listed(reader, classId)).as("a removed class").isNull();
        }
    }

    private static void assertListed(Student reader, long classId, int enrolled, int waitlisted, String title) {
        for (int read = 0; read < 2; read++) {
            JsonNode listed = listed(reader, classId);
            assertThat(listed).as("class %d in the listing", classId).isNotNull();
            assertThat(listed.get("enrolled").asInt()).isEqualTo(enrolled);
            assertThat(listed.get("waitlisted").asInt()).isEqualTo(waitlisted);
            assertThat(listed.get("title").asText()).isEqualTo(title);
        }
    }

    /** The class's entry in the student's listing, or null when it is not listed. */
    private static JsonNode listed(Student reader, long classId) {
        Api.Response listing = api.get("/student/classes", reader.token());
        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.header("Content-Type")).startsWith("application/json");
        for (JsonNode course : listing.json().get("classes")) {
            if (course.get("id").asLong() == classId) {
                return course;
            }
        }
        return null;
    }
}
