package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Campus.Student;
import support.RunningService;

/**
 * A crash between the Redis step and the DynamoDB step of a promotion. The crash is injected by running only
 * the first half of a promotion through the service's own beans, exactly what a process killed at that
 * moment leaves behind; the repair route must finish it, exactly once.
 */
class PromotionRepairTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("PROMOTION_REPAIR_AFTER", "1s"));

    static PromotionsInFlight promotionsInFlight;
    static Enrollments enrollments;
    static Classes classes;
    static Registrations registrations;
    static final Promoters promoters = new Promoters(() -> running.service);

    @BeforeAll
    static void lookUpBeans() {
        promotionsInFlight = running.bean("promotionsInFlight", PromotionsInFlight.class);
        enrollments = running.bean("enrollments", Enrollments.class);
        classes = running.bean("classes", Classes.class);
        registrations = running.bean("registrations", Registrations.class);
    }

    @Test
    void aCrashAfterTakingTheStudentOffTheListStillEnrollsThem() throws Exception {
        FullClass scene = FullClass.of(running.campus, 1, 1);
        NotifyBuilder repaired = repairs(1);
        afterTheDropWhileFrozen(scene, () -> {
            assertThat(promotionsInFlight.beginPromotion(crashedHolder(scene.classId()), Set.of()).studentId())
                    .isEqualTo(scene.waiting(0).id());
            // crashed here: the student is on no list and holds no seat, until the repair finishes the promotion
            awaitRepair(repaired);
            assertThat(running.campus.api.get("/student/enrollments", scene.waiting(0).token()).json()
                    .get("enrolled")).hasSize(1);
        });
        assertThat(running.campus.showClass(scene.classId()).get("enrolled").asInt()).isEqualTo(1);
        assertThat(inFlight()).isEmpty();
    }

    @Test
    void aCrashAfterTheEnrollmentWasStoredEndsThePromotionWithoutASecondSeat() throws Exception {
        FullClass scene = FullClass.of(running.campus, 1, 1);
        NotifyBuilder repaired = repairs(1);
        afterTheDropWhileFrozen(scene, () -> {
            PromotionsInFlight.Promotion promotion = promotionsInFlight.beginPromotion(crashedHolder(scene.classId()),
                    Set.of());
            assertThat(enrollments.enroll(classes.get(scene.classId()), promotion.studentId(), promotion.name(),
                    registrations.record(promotion.studentId()).schedule().version(), null))
                    .isEqualTo(Enrollments.Outcome.ENROLLED);
            // crashed here, before the in-flight entry was ended
            awaitRepair(repaired);
            assertThat(inFlight()).isEmpty();
        });
        assertThat(running.campus.showClass(scene.classId()).get("enrolled").asInt()).isEqualTo(1);
        assertThat(running.campus.showClass(scene.classId()).get("waitlisted").asInt()).isZero();
        assertThat(running.campus.api.get("/student/enrollments",
                scene.waiting(0).token()).json().get("enrolled")).hasSize(1);
    }

    @Test
    void aCrashedPromotionWithNoSeatLeftPutsTheStudentBackAtTheHeadOfTheList() throws Exception {
        FullClass scene = FullClass.of(running.campus, 1, 1);
        Student later = running.campus.student();
        running.campus.enroll(later, scene.classId());
        NotifyBuilder repaired = repairs(1);
        promotionsInFlight.beginPromotion(crashedHolder(scene.classId()), Set.of());
        awaitRepair(repaired);
        assertThat(inFlight()).isEmpty();
        assertThat(running.campus.api.get("/student/waitlist/" + scene.classId(), scene.waiting(0).token()).json()
                .get("position").asInt()).isEqualTo(1);
        assertThat(running.campus.api.get("/student/waitlist/" + scene.classId(), later.token()).json()
                .get("position").asInt()).isEqualTo(2);
        assertThat(running.campus.showClass(scene.classId()).get("enrolled").asInt()).isEqualTo(1);
    }

    /**
     * Freezes auto-enrollment, drops the seated student and waits until the promoters concluded (the seat stays
     * free, the student waiting), runs the steps, and unfreezes whatever they did.
     */
    private static void afterTheDropWhileFrozen(FullClass scene, Runnable steps) {
        freeze(true);
        try {
            running.campus.drop(scene.seated(0), scene.classId());
            promoters.awaitSettled(scene.classId());
            steps.run();
        } finally {
            freeze(false);
        }
    }

    /** Done once the repair route has sent {@code count} interrupted promotions to be finished, and they ended. */
    private static NotifyBuilder repairs(int count) {
        return new NotifyBuilder(running.service.camelContext()).fromRoute("repair-interrupted-promotions")
                .wereSentTo("direct:finish-promotion").whenDone(count).create();
    }

    private static void awaitRepair(NotifyBuilder repaired) {
        assertThat(repaired.matches(15, TimeUnit.SECONDS)).as("the repair route finished the promotion").isTrue();
    }

    /**
     * The turn of a promoter that is about to crash: its lease outlasts the test, so that the repair route, not the
     * next holder of the turn (PromotionRecoveryTest), finishes what it began.
     */
    private static PromotionRequests.Turn crashedHolder(long classId) {
        return promoters.crashedHolder(classId, java.time.Duration.ofMinutes(1));
    }

    /** Every promotion in flight, however young (a cutoff a minute ahead). */
    private static java.util.List<PromotionsInFlight.Promotion> inFlight() {
        return promotionsInFlight.stalePromotions(-60_000);
    }

    private static void freeze(boolean frozen) {
        assertThat(running.campus.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar,
                Map.of("enabled", !frozen), Map.of()).status()).isEqualTo(200);
    }
}
