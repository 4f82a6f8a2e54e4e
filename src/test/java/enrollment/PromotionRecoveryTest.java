package enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Background;
import support.Campus.Student;
import support.RunningService;

/**
 * docs/api.md: a freed seat goes to the first waiting student "within seconds, also when a service instance dies at any
 * step". A kill -9 cannot be made in-process, so each test leaves in the stores exactly what an instance killed at
 * that step leaves (a turn whose holder stopped renewing it, a seat freed in DynamoDB with no request in Redis, a
 * promotion in flight), through the service's own beans and key names, and checks over HTTP that a live instance
 * fills the seat, once.
 */
class PromotionRecoveryTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    static final Promoters promoters = new Promoters(() -> running.service);
    static PromotionsInFlight promotionsInFlight;
    static Enrollments enrollments;

    @BeforeAll
    static void lookUpBeans() {
        promotionsInFlight = running.bean("promotionsInFlight", PromotionsInFlight.class);
        enrollments = running.bean("enrollments", Enrollments.class);
    }

    /**
     * The instance holding the class's turn died: its lease still runs when the drop comes, so the drop only leaves
     * a request; once the lease lapses, a live promoter takes the turn over and fills the seat.
     */
    @Test
    void aRequestLeftBehindATurnWhoseHolderDiedIsTakenOverOnceItsLeaseLapses() {
        FullClass scene = FullClass.of(running.campus, 1, 1);
        long classId = scene.classId();
        promoters.crashedHolder(classId, Duration.ofSeconds(4));

        assertThat(running.campus.drop(scene.seated(0), classId).status()).isEqualTo(200);
        // the dead holder's lease still runs: nobody else may promote yet, the request waits for it
        assertThat(promoters.requested(classId)).isTrue();
        assertThat(running.api.get("/student/waitlist/" + classId, scene.waiting(0).token()).json().get("position")
                .asInt()).isEqualTo(1);

        eventually(() -> assertEnrolled(scene.waiting(0), classId));
        running.campus.assertStored(classId, 1, 0);
        promoters.awaitSettled(classId);
    }

    /**
     * The instance died between the drop's DynamoDB transaction and its promotion request: the seat is free, a
     * student waits, and Redis holds no request. The sweep finds the class and fills the seat.
     */
    @Test
    void aSeatFreedWithNoRequestLeftIsFoundByTheSweep() {
        FullClass scene = FullClass.of(running.campus, 1, 1);
        long classId = scene.classId();
        Student seated = scene.seated(0);

        // the drop route's first step, and nothing after it
        assertThat(enrollments.drop(classId, seated.id(), "Student " + seated.id(), false)).isTrue();
        assertThat(promoters.requested(classId)).isFalse();

        eventually(Duration.ofSeconds(30), () -> assertEnrolled(scene.waiting(0), classId));
        running.campus.assertStored(classId, 1, 0);
    }

    /**
     * The holder died with a student in flight (off the list, not yet enrolled). The next holder finishes that
     * promotion before it begins any other, so the seat goes to the student who came first, once, and the next in
     * line keeps waiting; well before the repair route (30 s) would.
     */
    @Test
    void aPromotionInFlightWhoseHolderDiedIsFinishedOnceByTheNextHolder() {
        FullClass scene = FullClass.of(running.campus, 1, 2);
        long classId = scene.classId();
        Student seated = scene.seated(0);
        Student first = scene.waiting(0);
        Student second = scene.waiting(1);
        PromotionRequests.Turn dead = promoters.crashedHolder(classId, Duration.ofSeconds(3));
        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        assertThat(promotionsInFlight.beginPromotion(dead, Set.of()).studentId()).isEqualTo(first.id());
        // killed here: the first student is on no list and holds no seat

        eventually(() -> assertEnrolled(first, classId));
        promoters.awaitSettled(classId);
        running.campus.assertStored(classId, 1, 1);
        assertThat(running.api.get("/student/waitlist/" + classId, second.token()).json().get("position").asInt())
                .isEqualTo(1);
        JsonNode dropped = running.api.get("/instructor/classes/" + classId + "/dropped", ownerToken(classId)).json();
        assertThat(dropped.get("students")).extracting(student -> student.get("id").asLong())
                .containsExactly(seated.id());
    }

    /**
     * The holder died with a student in flight, and the registrar removed the class before anyone finished that
     * promotion: the next holder ends it with the student enrolled nowhere and on no list, and the class's request
     * is concluded, rather than failing on the missing class at every lease period.
     */
    @Test
    void aPromotionInFlightOfARemovedClassEndsWithNobodyEnrolled() throws Exception {
        FullClass scene = FullClass.of(running.campus, 1, 1);
        long classId = scene.classId();
        Student seated = scene.seated(0);
        Student first = scene.waiting(0);
        long failedBefore = running.failures("promote");
        long repairsFailedBefore = running.failures("repair-interrupted-promotions");
        PromotionRequests.Turn dead = promoters.crashedHolder(classId, Duration.ofSeconds(3));
        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        assertThat(promotionsInFlight.beginPromotion(dead, Set.of()).studentId()).isEqualTo(first.id());
        // killed here; then the registrar removes the class
        assertThat(running.api.delete("/registrar/classes/" + classId, running.campus.registrar).status())
                .isEqualTo(200);

        promoters.awaitSettled(classId);
        JsonNode mine = running.api.get("/student/enrollments", first.token()).json();
        assertThat(mine.get("enrolled")).isEmpty();
        assertThat(mine.get("waitlisted")).isEmpty();
        // all through two more lease periods: a pass that failed would have been retried, and failed again, by then
        Background.throughout(Duration.ofSeconds(10), () -> {
            assertThat(promotionsInFlight.inFlight(classId)).isEmpty();
            assertThat(promoters.requested(classId)).isFalse();
            assertThat(running.failures("promote")).isEqualTo(failedBefore);
            assertThat(running.failures("repair-interrupted-promotions")).isEqualTo(repairsFailedBefore);
        });
    }

    private static void assertEnrolled(Student student, long classId) {
        JsonNode mine = running.api.get("/student/enrollments", student.token()).json();
        assertThat(mine.get("enrolled")).extracting(course -> course.get("id").asLong()).containsExactly(classId);
        assertThat(mine.get("waitlisted")).isEmpty();
    }

    private static String ownerToken(long classId) {
        long owner = running.campus.showClass(classId).get("instructorId").asLong();
        return running.tokens.token(owner, "Owner", "Instructor");
    }
}
