package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
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
 * A crash between the Redis step and the DynamoDB step of a promotion. The crash is injected by running only
 * the first half of a promotion through the service's own beans, exactly what a process killed at that
 * moment leaves behind; the repair route must finish it, exactly once.
 */
class PromotionRepairTest {

    static Tokens tokens = new Tokens();
    static EnrollmentService service;
    static Campus campus;
    static Waitlists waitlists;
    static Enrollments enrollments;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(Map.of("JWT_PRIVATE_KEY_FILE", tokens.pemFile(), "PROMOTION_REPAIR_AFTER", "1s"));
        campus = new Campus(new Api(service), tokens);
        waitlists = service.camelContext().getRegistry().lookupByNameAndType("waitlists", Waitlists.class);
        enrollments = service.camelContext().getRegistry().lookupByNameAndType("enrollments", Enrollments.class);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aCrashAfterTakingTheStudentOffTheListStillEnrollsThem() throws Exception {
        Scene scene = fullClassWithOneWaiting();
        freeze(true);
        try {
            campus.drop(scene.seated(), scene.classId());
            assertThat(waitlists.beginPromotion(scene.classId()).studentId()).isEqualTo(scene.waiting().id());
            // crashed here: the student is on no list and holds no seat, until the repair finishes the promotion
            awaitEnrolled(scene);
        } finally {
            freeze(false);
        }
        assertThat(campus.showClass(scene.classId()).get("enrolled").asInt()).isEqualTo(1);
        assertThat(inFlight()).isEmpty();
    }

    @Test
    void aCrashAfterTheEnrollmentWasStoredEndsThePromotionWithoutASecondSeat() throws Exception {
        Scene scene = fullClassWithOneWaiting();
        freeze(true);
        try {
            campus.drop(scene.seated(), scene.classId());
            Waitlists.Promotion promotion = waitlists.beginPromotion(scene.classId());
            assertThat(enrollments.enroll(scene.classId(), promotion.studentId(), promotion.name()))
                    .isEqualTo(Enrollments.Outcome.ENROLLED);
            // crashed here, before the in-flight entry was ended
            awaitNoPromotionInFlight();
        } finally {
            freeze(false);
        }
        assertThat(campus.showClass(scene.classId()).get("enrolled").asInt()).isEqualTo(1);
        assertThat(campus.showClass(scene.classId()).get("waitlisted").asInt()).isZero();
        assertThat(campus.api.get("/student/enrollments", scene.waiting().token()).json().get("enrolled")).hasSize(1);
    }

    @Test
    void aCrashedPromotionWithNoSeatLeftPutsTheStudentBackAtTheHeadOfTheList() throws Exception {
        Scene scene = fullClassWithOneWaiting();
        Student later = campus.student();
        campus.enroll(later, scene.classId());
        waitlists.beginPromotion(scene.classId());
        awaitNoPromotionInFlight();
        assertThat(campus.api.get("/student/waitlist/" + scene.classId(), scene.waiting().token()).json()
                .get("position").asInt()).isEqualTo(1);
        assertThat(campus.api.get("/student/waitlist/" + scene.classId(), later.token()).json()
                .get("position").asInt()).isEqualTo(2);
        assertThat(campus.showClass(scene.classId()).get("enrolled").asInt()).isEqualTo(1);
    }

    record Scene(long classId, Student seated, Student waiting) {
    }

    private static Scene fullClassWithOneWaiting() {
        long classId = campus.newClass(1);
        Student seated = campus.student();
        Student waiting = campus.student();
        assertThat(campus.enroll(seated, classId).status()).isEqualTo(201);
        assertThat(campus.enroll(waiting, classId).status()).isEqualTo(202);
        return new Scene(classId, seated, waiting);
    }

    private static void awaitEnrolled(Scene scene) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline && campus.api.get("/student/enrollments",
                scene.waiting().token()).json().get("enrolled").isEmpty()) {
            Thread.sleep(100);
        }
        assertThat(campus.api.get("/student/enrollments", scene.waiting().token()).json().get("enrolled")).hasSize(1);
    }

    private static void awaitNoPromotionInFlight() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline && !inFlight().isEmpty()) {
            Thread.sleep(100);
        }
        assertThat(inFlight()).isEmpty();
    }

    /** Every promotion in flight, however young (a cutoff a minute ahead). */
    private static java.util.List<Waitlists.Promotion> inFlight() {
        return waitlists.stalePromotions(-60_000);
    }

    private static void freeze(boolean frozen) {
        assertThat(campus.api.send("PUT", "/registrar/auto-enrollment", campus.registrar,
                Map.of("enabled", !frozen), Map.of()).status()).isEqualTo(200);
    }
}
