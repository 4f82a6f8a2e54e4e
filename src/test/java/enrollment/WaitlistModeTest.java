package enrollment;

import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Instructor;
import support.RunningService;

/** A class's waiting-list mode and offer hours (docs/api.md "Classes", "Registrar"): set at creation or by PATCH, checked. */
class WaitlistModeTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void aClassIsAutoFor24HoursUnlessTheRegistrarSaysOtherwise() {
        Instructor instructor = running.campus.instructor();
        JsonNode plain = running.campus.classOf(instructor, 3);
        assertThat(plain.get("waitlistMode").asText()).isEqualTo("auto");
        assertThat(plain.get("offerHours").asInt()).isEqualTo(24);

        Map<String, Object> section = new HashMap<>(Map.of("department", "HIST", "courseCode", "HIST " + System.nanoTime()
                % 1000, "section", 1, "title", "The Long Nineteenth Century", "instructorId", instructor.id(),
                "capacity", 3, "waitlistMode", "offer", "offerHours", 12));
        Api.Response created = running.api.post("/registrar/classes", running.campus.registrar, section);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("waitlistMode").asText()).isEqualTo("offer");
        assertThat(created.json().get("offerHours").asInt()).isEqualTo(12);
        for (Map.Entry<String, Object> bad : Map.<String, Object>of("waitlistMode", "lottery", "offerHours", 0)
                .entrySet()) {
            Map<String, Object> refused = new HashMap<>(section);
            refused.put("section", 2);
            refused.put(bad.getKey(), bad.getValue());
            assertProblem(running.api.post("/registrar/classes", running.campus.registrar, refused), 400,
                    "invalid-request");
        }

        String course = "/registrar/classes/" + plain.get("id").asLong();
        Api.Response changed = running.api.send("PATCH", course, running.campus.registrar,
                Map.of("waitlistMode", "offer", "offerHours", 168), Map.of());
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("waitlistMode").asText()).isEqualTo("offer");
        assertThat(changed.json().get("offerHours").asInt()).isEqualTo(168);
        assertProblem(running.api.send("PATCH", course, running.campus.registrar, Map.of("offerHours", 169), Map.of()),
                400, "invalid-request");
        assertProblem(running.api.send("PATCH", course, running.campus.registrar, Map.of("waitlistMode", "AUTO"),
                Map.of()), 400, "invalid-request");
        JsonNode stored = running.campus.showClass(plain.get("id").asLong());
        assertThat(stored.get("waitlistMode").asText()).isEqualTo("offer");
        assertThat(stored.get("offerHours").asInt()).isEqualTo(168);
    }
}
