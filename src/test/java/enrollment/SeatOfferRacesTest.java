package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.Concurrently;
import support.RunningService;
import support.WebhookReceiver;

/**
 * Seat offers under races (docs/api.md "Seat offers": exactly once across instances), over two instances: 100 students on
 * one class in {@code offer} mode enroll, wait, accept, decline or let offers lapse (3 offer hours of 2 s here), while
 * the seated drop. Sampled throughout, {@code enrolled + offered} never passes the capacity; settled, no seat is
 * left free while anyone waits; and every {@code seat-offered} event is one offer that ended exactly once (accepted,
 * declined or expired) or is still open: no offer made twice, none lost.
 */
class SeatOfferRacesTest {

    static final int CAPACITY = 10;
    static final int STUDENTS = 100;
    static final long CHURN_MILLIS = 20_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningService both = RunningService.pair("offers", Map.of("OFFER_HOUR", "2s",
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
    static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
    }

    // runs before the extension stops the instances
    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void acceptingDecliningAndLapsingConcurrentlyNeverOverfillsLosesOrDoublesASeat() throws Exception {
        Campus.Instructor instructor = both.campus.instructor();
        long classId = both.campus.classOf(instructor, CAPACITY).get("id").asLong();
        assertThat(both.campus.api.send("PATCH", "/registrar/classes/" + classId, both.campus.registrar,
                Map.of("waitlistMode", "offer", "offerHours", 3), Map.of()).status()).isEqualTo(200);
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < STUDENTS; i++) {
            Student student = both.campus.student();
            students.add(student);
            assertThat(both.campus.api.post("/student/subscribe/" + classId, student.token(),
                    Map.of("callbackUrl", receiver.url("/hooks/" + student.id()))).status()).isEqualTo(201);
        }
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger declined = new AtomicInteger();
        AtomicInteger drops = new AtomicInteger();
        long end = System.currentTimeMillis() + CHURN_MILLIS;

        Concurrently.all(STUDENTS, i -> () -> student(both.instances.get(i % both.instances.size()), students.get(i),
                classId, i % 3, end, accepted, declined, drops, violations), () -> {
                    while (System.currentTimeMillis() < end) {
                        JsonNode course = both.campus.showClass(classId);
                        int taken = course.get("enrolled").asInt() + course.get("offered").asInt();
                        if (taken > CAPACITY) {
                            violations.add("enrolled + offered " + taken + " of " + CAPACITY);
                        }
                        Thread.sleep(20);
                    }
                    return null;
                });
        assertThat(violations).isEmpty();
        assertThat(drops.get()).as("drops").isGreaterThan(CAPACITY);
        assertThat(accepted.get()).as("offers accepted (drops %d, declined %d, offers %d)", drops.get(),
                declined.get(), events("seat-offered")).isPositive();
        assertThat(declined.get()).as("offers declined").isPositive();

        // settled (nobody acts now: open offers lapse and pass on): each offer event is one offer, ended once or open
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            JsonNode course = both.campus.showClass(classId);
            int enrolled = course.get("enrolled").asInt();
            int offered = course.get("offered").asInt();
            int waitlisted = course.get("waitlisted").asInt();
            int offers = events("seat-offered");
            int expired = events("offer-expired");
            last = "offers " + offers + " = accepted " + accepted.get() + " + declined " + declined.get()
                    + " + expired " + expired + " + open " + offered + "; enrolled " + enrolled + ", waiting " + waitlisted;
            boolean noSeatLost = waitlisted == 0 || enrolled + offered == CAPACITY;
            if (noSeatLost && offers == accepted.get() + declined.get() + expired + offered) {
                String owner = both.tokens.token(instructor.id(), "Owner", "Instructor");
                JsonNode list = both.campus.api.get("/instructor/classes/" + classId + "/waitlist", owner).json();
                if (list.get("offers").size() == offered && list.get("students").size() == waitlisted) {
                    assertThat(both.campus.api.get("/instructor/classes/" + classId + "/enrolled", owner).json()
                            .get("students")).hasSize(enrolled);
                    assertThat(offers).as("offers made").isGreaterThan(CAPACITY);
                    assertThat(expired).as("offers lapsed").isPositive();
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never settled: " + last);
    }

    /** How many distinct events of the type the webhooks delivered (a redelivery repeats its webhook-id). */
    private static int events(String type) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (WebhookReceiver.Received hook : receiver.received()) {
            if (hook.body().contains("\"type\":\"" + type + "\"")) {
                ids.add(hook.header("webhook-id"));
            }
        }
        return ids.size();
    }

    /**
     * One student until {@code end}: with an offer, accept it (role 0), decline it (role 1) or let it lapse (role 2);
     * seated, drop after a moment; neither seated nor waiting, enroll.
     */
    private static Void student(Api api, Student student, long classId, int role, long end, AtomicInteger accepted,
            AtomicInteger declined, AtomicInteger drops, ConcurrentLinkedQueue<String> violations) throws Exception {
        String offer = "/student/offers/" + classId;
        boolean seated = false;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
            boolean offered = api.get("/student/offers", student.token()).json().get("offers").size() > 0;
            if (offered && role != 2) {
                Api.Response answer = role == 0 ? api.post(offer, student.token(), null)
                        : api.delete(offer, student.token());
                if (answer.status() == 201) {
                    accepted.incrementAndGet();
                    seated = true;
                } else if (answer.status() == 200) {
                    declined.incrementAndGet();
                } else if (answer.status() != 404) {  // 404: it lapsed meanwhile
                    violations.add("offer answer " + answer);
                }
            } else if (seated) {
                Api.Response dropped = api.delete("/student/enrollments/" + classId, student.token());
                if (dropped.status() != 200) {
                    violations.add("drop of a seated student: " + dropped);
                }
                drops.incrementAndGet();
                seated = false;
            } else if (!offered && api.get("/student/waitlist/" + classId, student.token()).status() == 404) {
                Api.Response enrolled = api.post("/student/enrollments/" + classId, student.token(), null);
                if (enrolled.status() == 201) {
                    seated = true;
                } else if (enrolled.status() != 202 && enrolled.status() != 409) {
                    violations.add("enroll answer " + enrolled);
                }
            }
        }
        return null;
    }
}
