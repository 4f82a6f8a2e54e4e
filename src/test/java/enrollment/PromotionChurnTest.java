package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.Concurrently;
import support.RunningService;

/**
 * Churn on one class from real concurrent clients over two instances (issue 17's soak, shortened): students keep
 * enrolling, waiting, dropping and leaving while the promoters of both instances fill every freed seat. Whatever
 * the interleaving, docs/api.md's rules hold: never more than the capacity enrolled, a freed seat filled while anyone
 * waits, every student moved at most once per seat freed, every drop recorded once, nobody both enrolled and
 * waiting. (How fast the drops answer under churn is bench/churn.sh's measure, not this test's.)
 */
class PromotionChurnTest {

    static final int CAPACITY = 4;
    static final int STUDENTS = 16;
    static final long CHURN_MILLIS = 8_000;

    @RegisterExtension
    static final RunningService both = RunningService.pair("churn", Map.of());

    @Test
    void underChurnEveryFreedSeatGoesToOneWaitingStudentAndTheCapacityHolds() throws Exception {
        long classId = both.campus.newClass(CAPACITY);
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < STUDENTS; i++) {
            students.add(both.campus.student());
        }
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger drops = new AtomicInteger();
        AtomicInteger promotions = new AtomicInteger();
        long end = System.currentTimeMillis() + CHURN_MILLIS;

        Concurrently.all(STUDENTS, i -> () -> cycle(both.instances.get(i % both.instances.size()), students.get(i),
                classId, end, drops, promotions, violations), () -> {
                    // what the registrar sees while the churn runs: never more enrolled than seats
                    while (System.currentTimeMillis() < end) {
                        int enrolled = both.campus.showClass(classId).get("enrolled").asInt();
                        if (enrolled > CAPACITY) {
                            violations.add("enrolled " + enrolled + " of " + CAPACITY);
                        }
                    }
                    return null;
                });
        assertThat(violations).isEmpty();
        assertThat(drops.get()).as("drops made").isGreaterThan(CAPACITY);
        assertThat(promotions.get()).as("promotions seen by the students").isPositive();

        // settled: every seat freed while anyone waited is filled, from the head of the list
        Promoters promoters = new Promoters(() -> both.service);
        promoters.awaitSettled(classId);
        JsonNode course = both.campus.showClass(classId);
        int enrolled = course.get("enrolled").asInt();
        int waitlisted = course.get("waitlisted").asInt();
        assertThat(enrolled).isLessThanOrEqualTo(CAPACITY);
        if (waitlisted > 0) {
            assertThat(enrolled).as("a seat left free while %d wait", waitlisted).isEqualTo(CAPACITY);
        }
        String owner = both.tokens.token(course.get("instructorId").asLong(), "Owner", "Instructor");
        Set<Long> seated = ids(both.campus.api.get("/instructor/classes/" + classId + "/enrolled", owner).json());
        Set<Long> waiting = ids(both.campus.api.get("/instructor/classes/" + classId + "/waitlist", owner).json());
        assertThat(seated).hasSize(enrolled).doesNotContainAnyElementsOf(waiting);
        assertThat(waiting).hasSize(waitlisted);
        // each seat freed is one drop row: the students' 200s and the class's dropped list agree
        assertThat(both.campus.api.get("/instructor/classes/" + classId + "/dropped", owner).json().get("students"))
                .hasSize(drops.get());
        // everyone enrolled last: the class is full and each student is seated or waiting, once
        assertThat(enrolled).isEqualTo(CAPACITY);
        assertThat(waitlisted).isEqualTo(STUDENTS - CAPACITY);
        for (Student student : students) {
            JsonNode mine = both.campus.api.get("/student/enrollments", student.token()).json();
            assertThat(mine.get("enrolled").size() + mine.get("waitlisted").size()).as("student %d", student.id())
                    .isEqualTo(1);
        }
    }

    /**
     * One student, until {@code end}: enroll; seated, drop; waiting, drop the seat if a promotion gave one, else
     * leave the list. Then a last enroll, kept. Any answer a student in that state cannot get is a violation.
     */
    private static Void cycle(Api api, Student student, long classId, long end, AtomicInteger drops,
            AtomicInteger promotions, ConcurrentLinkedQueue<String> violations) throws InterruptedException {
        String path = "/student/enrollments/" + classId;
        while (System.currentTimeMillis() < end) {
            Api.Response enrolled = api.post(path, student.token(), null);
            if (enrolled.status() == 201) {
                drop(api, student, path, drops, violations);
            } else if (enrolled.status() == 202) {
                Thread.sleep(50);  // a drop by someone else may promote them meanwhile
                waitThenDropOrLeave(api, student, classId, drops, promotions, violations);
            } else if (enrolled.status() != 409 || !"class-full".equals(enrolled.json().get("code").asText())) {
                violations.add("enrolling: " + enrolled);
            }
        }
        // the last word: everyone wants the class, so it ends full with the others waiting
        int last = api.post(path, student.token(), null).status();
        if (last != 201 && last != 202) {
            violations.add("the last enroll: " + last);
        }
        return null;
    }

    /**
     * A waiting student takes the seat if a promotion gave them one, else leaves the list. Leaving answers 404 while
     * a promotion has them in flight: they look again until it ended (enrolled, or back in line if it found no seat).
     */
    private static void waitThenDropOrLeave(Api api, Student student, long classId, AtomicInteger drops,
            AtomicInteger promotions, ConcurrentLinkedQueue<String> violations) throws InterruptedException {
        long giveUp = System.currentTimeMillis() + support.Background.PROMOTION.toMillis();
        while (System.currentTimeMillis() < giveUp) {
            if (isEnrolled(api, student, classId)) {
                promotions.incrementAndGet();
                drop(api, student, "/student/enrollments/" + classId, drops, violations);
                return;
            }
            int left = api.delete("/student/waitlist/" + classId, student.token()).status();
            if (left == 200) {
                return;
            }
            if (left != 404) {
                violations.add("leaving the list: " + left);
                return;
            }
            Thread.sleep(20);
        }
        violations.add("student " + student.id() + " neither enrolled nor waiting for " + support.Background.PROMOTION);
    }

    private static void drop(Api api, Student student, String path, AtomicInteger drops,
            ConcurrentLinkedQueue<String> violations) {
        Api.Response dropped = api.delete(path, student.token());
        if (dropped.status() == 200) {
            drops.incrementAndGet();
        } else {
            violations.add("dropping a seat held: " + dropped);
        }
    }

    private static boolean isEnrolled(Api api, Student student, long classId) {
        JsonNode mine = api.get("/student/enrollments", student.token()).json();
        for (JsonNode course : mine.get("enrolled")) {
            if (course.get("id").asLong() == classId) {
                return true;
            }
        }
        return false;
    }

    private static Set<Long> ids(JsonNode answer) {
        Set<Long> ids = new HashSet<>();
        answer.get("students").forEach(student -> ids.add(student.get("id").asLong()));
        return ids;
    }
}
