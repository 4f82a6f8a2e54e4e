package enrollment;

import static enrollment.RegistrationWindowsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static support.MailSink.awaitMail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.RunningService;
import support.WebhookReceiver;

/**
 * Seat offers (docs/api.md "Seat offers") over HTTP: in a class in {@code offer} mode a freed seat is offered to the first
 * student waiting, who accepts it, declines it, or lets it lapse; the seat then passes to the next one. An offer
 * hour lasts 2 s here ({@code OFFER_HOUR}, the test-only setting).
 */
class SeatOffersTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
            "OFFER_HOUR", "2s"));

    static final ObjectMapper JSON = new ObjectMapper();
    static WebhookReceiver receiver;

    @AfterEach
    void closeReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aFreedSeatIsOfferedHeldAgainstNewcomersAndAccepted() throws Exception {
        receiver = new WebhookReceiver();
        Campus.Instructor instructor = running.campus.instructor();
        long classId = offerClass(instructor, 1, 168);
        Student seated = running.campus.student();
        Student first = running.campus.student();
        Student second = running.campus.student();
        assertThat(running.campus.enroll(seated, classId).status()).isEqualTo(201);
        assertThat(running.campus.enroll(first, classId).status()).isEqualTo(202);
        assertThat(running.campus.enroll(second, classId).status()).isEqualTo(202);
        Subscribed sub = subscribe(first, classId, "/hooks/first");
        String waitlist = "/instructor/classes/" + classId + "/waitlist";
        String etagBefore = running.api.get(waitlist, instructor.token()).header("ETag");

        Instant dropped = Instant.now();
        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        JsonNode offer = awaitOffer(first, classId);
        Instant expiresAt = Instant.parse(offer.get("expiresAt").asText());
        // 168 offer hours of 2 s each
        assertThat(expiresAt).isBetween(dropped.plusSeconds(336 - 5), Instant.now().plusSeconds(336 + 5));
        assertThat(offer.get("class").get("id").asLong()).isEqualTo(classId);
        assertThat(offer.get("class").get("offered").asInt()).isEqualTo(1);

        JsonNode course = running.campus.showClass(classId);
        assertThat(course.get("enrolled").asInt()).isZero();
        assertThat(course.get("offered").asInt()).isEqualTo(1);
        assertThat(course.get("waitlisted").asInt()).as("the offered student left the list").isEqualTo(1);
        Api.Response list = running.api.get(waitlist, instructor.token());
        assertThat(list.header("ETag")).isNotEqualTo(etagBefore);
        assertThat(list.json().get("students")).hasSize(1);
        assertThat(list.json().get("students").get(0).get("id").asLong()).isEqualTo(second.id());
        assertThat(list.json().get("offers")).hasSize(1);
        assertThat(list.json().get("offers").get(0).get("id").asLong()).isEqualTo(first.id());
        assertThat(list.json().get("offers").get(0).get("expiresAt").asText()).isEqualTo(offer.get("expiresAt").asText());
        assertThat(running.api.send("GET", waitlist, instructor.token(), null,
                Map.of("If-None-Match", list.header("ETag"))).status()).isEqualTo(304);

        // the held seat is nobody else's: a newcomer queues
        Student newcomer = running.campus.student();
        assertThat(running.campus.enroll(newcomer, classId).status()).isEqualTo(202);
        assertProblem(running.api.post("/student/offers/" + classId, second.token(), null), 404, "no-offer");

        // notified by email and by the signed webhook, with the deadline
        JsonNode event = awaitHook(sub, "seat-offered");
        assertThat(event.get("studentId").asLong()).isEqualTo(first.id());
        assertThat(event.get("classId").asLong()).isEqualTo(classId);
        assertThat(Instant.parse(event.get("expiresAt").asText())).isEqualTo(expiresAt);
        MimeMessage mail = awaitMail(sub.email(), 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("Seat offered: Web Back-End Engineering");
        assertThat(mail.getContent().toString()).contains(expiresAt.toString(), "class " + classId);

        Api.Response accepted = running.api.post("/student/offers/" + classId, first.token(), null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
        assertThat(accepted.json().get("status").asText()).isEqualTo("enrolled");
        assertThat(accepted.json().get("classId").asLong()).isEqualTo(classId);
        // the enrollment is told as an accepted offer, not as a seat from the list
        assertThat(awaitHook(sub, "enrolled").get("via").asText()).isEqualTo("offer");
        MimeMessage confirmation = awaitMail(sub.email(), 2).stream()
                .filter(message -> subject(message).equals("New Enrollment")).findFirst().orElseThrow();
        assertThat(confirmation.getContent().toString()).contains("you accepted the seat offered to you");
        assertProblem(running.api.post("/student/offers/" + classId, first.token(), null), 404, "no-offer");
        assertProblem(running.api.delete("/student/offers/" + classId, first.token()), 404, "no-offer");
        assertThat(running.api.get("/student/offers", first.token()).json().get("offers")).isEmpty();
        course = running.campus.showClass(classId);
        assertThat(course.get("enrolled").asInt()).isEqualTo(1);
        assertThat(course.get("offered").asInt()).isZero();
        running.campus.assertStored(classId, 1, 2);
        assertThat(running.api.get(waitlist, instructor.token()).json().get("offers")).isEmpty();
        assertThat(awaitHook(sub, "enrolled").get("studentId").asLong()).isEqualTo(first.id());
    }

    @Test
    void aDeclinedOfferPassesTheSeatToTheNextAndTheDeclinerDoesNotReturn() throws Exception {
        long classId = offerClass(running.campus.instructor(), 1, 168);
        List<Student> students = new ArrayList<>(running.campus.enrollNew(classId, 2));
        // the third is given a hold below: the registrar acts on students who exist only
        Student third = running.campus.registeredStudent();
        assertThat(running.campus.enroll(third, classId).status()).isEqualTo(202);
        students.add(third);
        assertThat(running.campus.drop(students.get(0), classId).status()).isEqualTo(200);
        awaitOffer(students.get(1), classId);

        Api.Response declined = running.api.delete("/student/offers/" + classId, students.get(1).token());
        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(declined.json().get("status").asText()).isEqualTo("declined");
        awaitOffer(students.get(2), classId);
        assertThat(running.api.get("/student/offers", students.get(1).token()).json().get("offers")).isEmpty();
        assertThat(running.api.get("/student/waitlist/" + classId, students.get(1).token()).status()).isEqualTo(404);
        JsonNode course = running.campus.showClass(classId);
        assertThat(course.get("offered").asInt()).isEqualTo(1);
        assertThat(course.get("waitlisted").asInt()).isZero();

        // a hold blocks accepting, not declining
        String hold = "/registrar/students/" + students.get(2).id() + "/holds/bursar";
        assertThat(running.api.send("PUT", hold, running.campus.registrar, Map.of("reason", "Bursar hold"), Map.of())
                .status()).isEqualTo(201);
        assertProblem(running.api.post("/student/offers/" + classId, students.get(2).token(), null), 403,
                "registration-hold");
        assertThat(running.api.delete(hold, running.campus.registrar).status()).isEqualTo(200);
        assertThat(running.api.post("/student/offers/" + classId, students.get(2).token(), null).status()).isEqualTo(201);
        running.campus.assertStored(classId, 1, 0);
    }

    @Test
    void aLapsedOfferIsAnnouncedAndPassesTheSeatOn() throws Exception {
        receiver = new WebhookReceiver();
        long classId = offerClass(running.campus.instructor(), 1, 1);
        List<Student> students = running.campus.enrollNew(classId, 3);
        Subscribed sub = subscribe(students.get(1), classId, "/hooks/lapse");
        assertThat(running.campus.drop(students.get(0), classId).status()).isEqualTo(200);
        JsonNode offer = awaitOffer(students.get(1), classId);
        Instant expiresAt = Instant.parse(offer.get("expiresAt").asText());

        // within the sweep's period (5 s) of the 2 s deadline, the next student has the offer
        JsonNode next = awaitOffer(students.get(2), classId);
        assertThat(Instant.now()).isAfter(expiresAt);
        assertThat(next.get("class").get("offered").asInt()).isEqualTo(1);
        assertProblem(running.api.post("/student/offers/" + classId, students.get(1).token(), null), 404, "no-offer");
        assertThat(running.api.get("/student/waitlist/" + classId, students.get(1).token()).status()).isEqualTo(404);

        JsonNode expired = awaitHook(sub, "offer-expired");
        assertThat(expired.get("studentId").asLong()).isEqualTo(students.get(1).id());
        assertThat(Instant.parse(expired.get("expiresAt").asText())).isEqualTo(expiresAt);
        List<MimeMessage> mails = awaitMail(sub.email(), 2);
        assertThat(mails.stream().map(SeatOffersTest::subject)).containsExactlyInAnyOrder(
                "Seat offered: Web Back-End Engineering", "Seat offer expired: Web Back-End Engineering");
        assertThat(receiver.received().stream().filter(h -> h.body().contains("offer-expired"))).hasSize(1);
    }

    /**
     * Removing a class ends its open offers with it: the held seat is nobody's, the holder (subscribed here) hears of
     * the removal by {@code class-removed} as the class's other subscribers do, and past the offer's deadline the
     * expiry sweep finds nothing of that class to end (no failure at every sweep).
     */
    @Test
    void removingAClassEndsItsOpenOffers() throws Exception {
        receiver = new WebhookReceiver();
        long classId = offerClass(running.campus.instructor(), 1, 1);
        List<Student> students = running.campus.enrollNew(classId, 3);
        Student holder = students.get(1);
        Subscribed sub = subscribe(holder, classId, "/hooks/removed");
        assertThat(running.campus.drop(students.get(0), classId).status()).isEqualTo(200);
        Instant expiresAt = Instant.parse(awaitOffer(holder, classId).get("expiresAt").asText());
        long sweepFailures = running.failures("expire-lapsed-offers");
        Offers offers = running.service.camelContext().getRegistry().lookupByNameAndType("offers", Offers.class);

        assertThat(running.api.delete("/registrar/classes/" + classId, running.campus.registrar).status())
                .isEqualTo(200);
        assertThat(offers.allOf(classId)).as("offer rows of the removed class").isEmpty();
        assertThat(running.api.get("/student/offers", holder.token()).json().get("offers")).isEmpty();
        assertProblem(running.api.post("/student/offers/" + classId, holder.token(), null), 404, "no-offer");
        JsonNode removed = awaitHook(sub, "class-removed");
        assertThat(removed.get("studentId").asLong()).isEqualTo(holder.id());
        assertThat(removed.get("classId").asLong()).isEqualTo(classId);

        // the deadline and two sweeps (5 s each) pass: nothing lapses, nothing fails, nobody else is offered a seat
        Background.after(expiresAt);
        Background.throughout(Duration.ofSeconds(11), () -> {
            assertThat(running.failures("expire-lapsed-offers")).isEqualTo(sweepFailures);
            assertThat(running.api.get("/student/offers", students.get(2).token()).json().get("offers")).isEmpty();
            assertThat(receiver.received().stream().map(WebhookReceiver.Received::body))
                    .noneMatch(body -> body.contains("offer-expired"));
        });
    }

    /** A class in offer mode; returns its id. */
    static long offerClass(Campus.Instructor instructor, int capacity, int offerHours) {
        long id = running.campus.classOf(instructor, capacity).get("id").asLong();
        Api.Response patched = running.api.send("PATCH", "/registrar/classes/" + id, running.campus.registrar,
                Map.of("waitlistMode", "offer", "offerHours", offerHours), Map.of());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        return id;
    }

    record Subscribed(String email, String secret) {
    }

    static Subscribed subscribe(Student student, long classId, String path) {
        String email = "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
        Api.Response subscribed = running.api.post("/student/subscribe/" + classId, student.token(),
                Map.of("email", email, "callbackUrl", receiver.url(path)));
        assertThat(subscribed.status()).isEqualTo(201);
        return new Subscribed(email, subscribed.json().get("secret").asText());
    }

    /** The student's open offer in the class, once it is there (the promoter runs in the background). */
    static JsonNode awaitOffer(Student student, long classId) {
        return Awaitility.await("an offer in class " + classId + " for student " + student.id())
                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    for (JsonNode offer : running.api.get("/student/offers", student.token()).json().get("offers")) {
                        if (offer.get("class").get("id").asLong() == classId) {
                            return offer;
                        }
                    }
                    return null;
                }, Objects::nonNull);
    }

    /** The signed webhook of the given type, its signature checked; returns its event. */
    static JsonNode awaitHook(Subscribed sub, String type) throws Exception {
        WebhookReceiver.Received hook = Awaitility.await("a " + type + " webhook").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    for (WebhookReceiver.Received received : receiver.received()) {
                        if (JSON.readTree(received.body()).get("type").asText().equals(type)) {
                            return received;
                        }
                    }
                    return null;
                }, Objects::nonNull);
        JsonNode event = JSON.readTree(hook.body());
        assertThat(hook.header("webhook-id")).isEqualTo(event.get("id").asText());
        assertThat(hook.header("webhook-signature")).isEqualTo(WebhookReceiver.expectedSignature(
                sub.secret(), hook.header("webhook-id"), hook.header("webhook-timestamp"), hook.body()));
        return event;
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
