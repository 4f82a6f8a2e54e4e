package enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import api.Http;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Instructor;
import support.Campus.Student;
import support.RunningService;

/**
 * ETag / Last-Modified on the three cached answers, 304 by either validator, and no stale 304 after any change:
 * join, leave, drop with promotion, administrative drop, auto-enrollment, patch, removal. If-Match races too.
 * The students' class listing, cached in Redis without validators, is never stale after a change either.
 */
class ConditionalGetTest {

    @RegisterExtension
    static final RunningService running = new RunningService();
    static final Promoters promoters = new Promoters(() -> running.service);

    @Test
    void theWaitlistPositionIsRevalidatedByEitherValidator() {
        Scene scene = scene();
        String path = "/student/waitlist/" + scene.classId();
        Api.Response first = running.api.get(path, scene.second().token());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("ETag")).matches("\"[^\"]+\"");
        assertThat(first.header("Last-Modified")).endsWith("GMT");
        assertThat(first.header("Cache-Control")).isEqualTo("private, no-cache");
        assertThat(first.json().get("position").asInt()).isEqualTo(2);

        Api.Response byTag = conditional(path, scene.second(), "If-None-Match", first.header("ETag"));
        assertThat(byTag.status()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(byTag.header("Last-Modified")).isEqualTo(first.header("Last-Modified"));

        Api.Response byDate = conditional(path, scene.second(), "If-Modified-Since", first.header("Last-Modified"));
        assertThat(byDate.status()).isEqualTo(304);
        assertThat(conditional(path, scene.second(), "If-Modified-Since", "not a date").status()).isEqualTo(200);
        assertThat(conditional(path, scene.second(), "If-None-Match", "\"other\"").status()).isEqualTo(200);
    }

    @Test
    void everyChangeOfTheListTurnsTheNextConditionalGetIntoA200() {
        Scene scene = scene();
        String path = "/student/waitlist/" + scene.classId();

        // a student joins behind: the count changes
        String seen = running.api.get(path, scene.second().token()).header("ETag");
        String lastModified = running.api.get(path, scene.second().token()).header("Last-Modified");
        Student third = running.campus.student();
        running.campus.enroll(third, scene.classId());
        assertFresh(path, scene.second(), seen, lastModified, 2, 3);

        // the student ahead leaves: the position changes
        seen = running.api.get(path, scene.second().token()).header("ETag");
        lastModified = running.api.get(path, scene.second().token()).header("Last-Modified");
        running.api.delete("/student/waitlist/" + scene.classId(), scene.first().token());
        assertFresh(path, scene.second(), seen, lastModified, 1, 2);

        // a drop promotes the first in line: the third moves up
        String thirdSeen = running.api.get(path, third.token()).header("ETag");
        String thirdModified = running.api.get(path, third.token()).header("Last-Modified");
        running.campus.drop(scene.seated(), scene.classId());
        eventually(() -> assertFresh(path, third, thirdSeen, thirdModified, 1, 1));

        // an administrative drop promotes the third
        Api.Response instructorView = running.api.get("/instructor/classes/" + scene.classId() + "/waitlist",
                scene.instructor().token());
        assertThat(instructorView.json().get("students")).hasSize(1);
        assertThat(conditional("/instructor/classes/" + scene.classId() + "/waitlist", scene.instructor(),
                "If-None-Match", instructorView.header("ETag")).status()).isEqualTo(304);
        running.api.delete("/instructor/classes/" + scene.classId() + "/students/" + scene.second().id(),
                scene.instructor().token());
        eventually(() -> {
            Api.Response after = conditional("/instructor/classes/" + scene.classId() + "/waitlist",
                    scene.instructor(), "If-None-Match", instructorView.header("ETag"));
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().get("students")).isEmpty();
            assertThat(running.api.get(path, third.token()).status()).isEqualTo(404);
        });
    }

    @Test
    void freezingAndUnfreezingAreChangesToo() {
        Scene scene = scene();
        String path = "/student/waitlist/" + scene.classId();
        try {
            running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar, Map.of("enabled", false),
                    Map.of());
            running.campus.drop(scene.seated(), scene.classId());
            promoters.awaitSettled(scene.classId());
            Api.Response frozen = running.api.get(path, scene.first().token());
            assertThat(frozen.json().get("position").asInt()).isEqualTo(1);
            running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar, Map.of("enabled", true),
                    Map.of());
            // the unfreeze promoted the first: their conditional GET is not a 304 but a 404 (off the list)
            eventually(() -> {
                assertThat(conditional(path, scene.first(), "If-None-Match", frozen.header("ETag")).status())
                        .isEqualTo(404);
                Api.Response second = conditional(path, scene.second(), "If-Modified-Since",
                        frozen.header("Last-Modified"));
                assertThat(second.status()).isEqualTo(200);
                assertThat(second.json().get("position").asInt()).isEqualTo(1);
            });
        } finally {
            running.api.send("PUT", "/registrar/auto-enrollment", running.campus.registrar, Map.of("enabled", true),
                    Map.of());
        }
    }

    @Test
    void aPatchOfTheTitleLeavesTheWaitingListsValidatorsAlone() {
        Scene scene = scene();
        String path = "/student/waitlist/" + scene.classId();
        String roster = "/instructor/classes/" + scene.classId() + "/waitlist";
        Api.Response before = running.api.get(path, scene.second().token());
        Api.Response rosterBefore = running.api.get(roster, scene.instructor().token());

        Api.Response patched = running.api.send("PATCH", "/registrar/classes/" + scene.classId(),
                running.campus.registrar,
                Map.of("title", "Retitled"), Map.of());
        assertThat(patched.status()).isEqualTo(200);

        Api.Response after = running.api.get(path, scene.second().token());
        assertThat(after.body()).isEqualTo(before.body());
        assertThat(after.header("ETag")).isEqualTo(before.header("ETag"));
        assertThat(after.header("Last-Modified")).isEqualTo(before.header("Last-Modified"));
        assertThat(conditional(path, scene.second(), "If-None-Match", before.header("ETag")).status()).isEqualTo(304);
        assertThat(conditional(path, scene.second(), "If-Modified-Since", before.header("Last-Modified")).status())
                .isEqualTo(304);
        Api.Response rosterAfter = running.api.get(roster, scene.instructor().token());
        assertThat(rosterAfter.body()).isEqualTo(rosterBefore.body());
        assertThat(rosterAfter.header("ETag")).isEqualTo(rosterBefore.header("ETag"));
    }

    @Test
    void theClassTagMovesOnlyWhenTheClassAnswerDoes() {
        Scene scene = scene();
        String path = "/registrar/classes/" + scene.classId();
        Api.Response before = running.api.get(path, running.campus.registrar);
        String title = before.json().get("title").asText();
        Api.Response unchanged = running.api.send("PATCH", path, running.campus.registrar, Map.of("title", title),
                Map.of("If-Match", before.header("ETag")));
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.header("ETag")).isEqualTo(before.header("ETag"));
        assertThat(running.api.send("GET", path, running.campus.registrar, null, Map.of("If-None-Match",
                before.header("ETag")))
                .status()).isEqualTo(304);
        // a seat given back and taken again by the first in line: the same answer, the same tag
        running.campus.drop(scene.seated(), scene.classId());
        running.campus.enroll(scene.seated(), scene.classId());
        eventually(() -> {
            Api.Response after = running.api.get(path, running.campus.registrar);
            assertThat(after.body()).isEqualTo(before.body());
            assertThat(after.header("ETag")).isEqualTo(before.header("ETag"));
        });
        running.api.send("PATCH", path, running.campus.registrar, Map.of("title", "Another title"), Map.of());
        assertThat(running.api.send("GET", path, running.campus.registrar, null, Map.of("If-None-Match",
                before.header("ETag")))
                .status()).isEqualTo(200);
    }

    @Test
    void twoChangesWithinOneSecondStillGiveTwoLastModifiedValues() {
        Scene scene = scene();
        String path = "/student/waitlist/" + scene.classId();
        String before = running.api.get(path, scene.second().token()).header("Last-Modified");
        running.campus.enroll(running.campus.student(), scene.classId());
        String once = running.api.get(path, scene.second().token()).header("Last-Modified");
        running.campus.enroll(running.campus.student(), scene.classId());
        Api.Response twice = conditional(path, scene.second(), "If-Modified-Since", once);
        assertThat(once).isNotEqualTo(before);
        assertThat(twice.status()).isEqualTo(200);
        assertThat(twice.json().get("waitlisted").asInt()).isEqualTo(4);
    }

    /**
     * Issue 19: a burst of changes within one second, each followed by conditional reads of the three cached answers
     * with the Last-Modified of the previous read: every answer is a 200 with the change in it (no stale 304), and
     * every Last-Modified is no later than the answer's Date (RFC 9110, 8.8.2.1). Once the clock has passed the
     * burst, the Last-Modified sent makes If-Modified-Since answer 304 again.
     */
    @Test
    void aBurstOfChangesWithinOneSecondNeverSendsALastModifiedLaterThanDateNorAStale304() throws Exception {
        Scene scene = scene();
        String position = "/student/waitlist/" + scene.classId();
        String roster = "/instructor/classes/" + scene.classId() + "/waitlist";
        String course = "/registrar/classes/" + scene.classId();
        String positionSeen = noLaterThanDate(running.api.get(position, scene.second().token()));
        String rosterSeen = noLaterThanDate(running.api.get(roster, scene.instructor().token()));
        String courseSeen = noLaterThanDate(running.api.get(course, running.campus.registrar));
        Thread.sleep(1_000 - System.currentTimeMillis() % 1_000); // the burst starts with a second
        for (int waiting = 3; waiting <= 7; waiting++) {
            running.campus.enroll(running.campus.student(), scene.classId());
            Api.Response byPosition = conditional(position, scene.second(), "If-Modified-Since", positionSeen);
            assertThat(byPosition.status()).as("after join %d", waiting).isEqualTo(200);
            assertThat(byPosition.json().get("waitlisted").asInt()).isEqualTo(waiting);
            positionSeen = noLaterThanDate(byPosition);
            Api.Response byRoster = conditional(roster, scene.instructor(), "If-Modified-Since", rosterSeen);
            assertThat(byRoster.status()).as("after join %d", waiting).isEqualTo(200);
            assertThat(byRoster.json().get("students")).hasSize(waiting);
            rosterSeen = noLaterThanDate(byRoster);
            Api.Response byCourse = running.api.send("GET", course, running.campus.registrar, null,
                    Map.of("If-Modified-Since", courseSeen));
            assertThat(byCourse.status()).as("after join %d", waiting).isEqualTo(200);
            assertThat(byCourse.json().get("waitlisted").asInt()).isEqualTo(waiting);
            courseSeen = noLaterThanDate(byCourse);
            noLaterThanDate(running.api.get(position, scene.second().token()));
        }
        eventually(() -> {
            String current = noLaterThanDate(running.api.get(position, scene.second().token()));
            Api.Response revalidated = conditional(position, scene.second(), "If-Modified-Since", current);
            assertThat(revalidated.status()).isEqualTo(304);
            assertThat(noLaterThanDate(revalidated)).isEqualTo(current);
        });
    }

    /** The answer's Last-Modified, asserted to be no later than its Date. */
    private static String noLaterThanDate(Api.Response answer) {
        String lastModified = answer.header("Last-Modified");
        assertThat(lastModified).as("Last-Modified of %s", answer).isNotNull();
        assertThat(Http.parseDate(lastModified)).as("Last-Modified %s, Date %s", lastModified, answer.header("Date"))
                .isLessThanOrEqualTo(Http.parseDate(answer.header("Date")));
        return lastModified;
    }

    @Test
    void theRegistrarsClassAnswerIsCachedAndEveryChangeRefreshesIt() {
        Scene scene = scene();
        String path = "/registrar/classes/" + scene.classId();
        Api.Response first = running.api.get(path, running.campus.registrar);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Cache-Control")).isEqualTo("private, no-cache");
        Api.Response cached = running.api.send("GET", path, running.campus.registrar, null, Map.of("If-None-Match",
                first.header("ETag")));
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();

        // a join (Redis), a patch and a seat change (DynamoDB) each refresh it
        running.campus.enroll(running.campus.student(), scene.classId());
        Api.Response joined = running.api.send("GET", path, running.campus.registrar, null, Map.of("If-None-Match",
                first.header("ETag")));
        assertThat(joined.status()).isEqualTo(200);
        assertThat(joined.json().get("waitlisted").asInt()).isEqualTo(3);
        Api.Response patched = running.api.send("PATCH", path, running.campus.registrar, Map.of("title", "Renamed"),
                Map.of("If-Match", joined.header("ETag")));
        assertThat(patched.status()).isEqualTo(200);
        Api.Response renamed = running.api.send("GET", path, running.campus.registrar, null,
                Map.of("If-Modified-Since", joined.header("Last-Modified")));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("title").asText()).isEqualTo("Renamed");
        assertThat(renamed.header("ETag")).isEqualTo(patched.header("ETag"));
        running.campus.drop(scene.seated(), scene.classId());
        promoters.awaitSettled(scene.classId());
        Api.Response dropped = running.api.send("GET", path, running.campus.registrar, null, Map.of("If-None-Match",
                renamed.header("ETag")));
        assertThat(dropped.status()).isEqualTo(200);
        assertThat(dropped.json().get("waitlisted").asInt()).isEqualTo(2);

        running.api.send("DELETE", path, running.campus.registrar, null, Map.of("If-Match", dropped.header("ETag")));
        assertThat(running.api.send("GET", path, running.campus.registrar, null, Map.of("If-None-Match",
                dropped.header("ETag")))
                .status()).isEqualTo(404);
    }

    @Test
    void twoRegistrarsPatchingWithTheSameETagOneWinsOneGets412() throws Exception {
        long classId = running.campus.newClass(5);
        String etag = running.api.get("/registrar/classes/" + classId, running.campus.registrar).header("ETag");
        List<Api.Response> answers = support.Concurrently.run(2, i -> running.api.send("PATCH",
                "/registrar/classes/" + classId, running.campus.registrar, Map.of("title", "Title " + i),
                        Map.of("If-Match", etag)));
        assertThat(answers.stream().map(Api.Response::status)).containsExactlyInAnyOrder(200, 412);
        assertThat(answers.stream().filter(a -> a.status() == 412).findFirst().orElseThrow()
                .json().get("code").asText()).isEqualTo("precondition-failed");
    }

    record Scene(long classId, Instructor instructor, Student seated, Student first, Student second) {
    }

    /** A full class of 1 with two students waiting. */
    private static Scene scene() {
        Instructor instructor = running.campus.instructor();
        long classId = running.campus.classOf(instructor, 1).get("id").asLong();
        Student seated = running.campus.student();
        Student first = running.campus.student();
        Student second = running.campus.student();
        running.campus.enroll(seated, classId);
        running.campus.enroll(first, classId);
        running.campus.enroll(second, classId);
        return new Scene(classId, instructor, seated, first, second);
    }

    private static Api.Response conditional(String path, Student student, String header, String value) {
        return running.api.send("GET", path, student.token(), null, Map.of(header, value));
    }

    private static Api.Response conditional(String path, Instructor instructor, String header, String value) {
        return running.api.send("GET", path, instructor.token(), null, Map.of(header, value));
    }

    private static void assertFresh(String path, Student student, String oldTag, String oldModified, int position,
                                    int waitlisted) {
        Api.Response byTag = conditional(path, student, "If-None-Match", oldTag);
        assertThat(byTag.status()).isEqualTo(200);
        assertThat(byTag.json().get("position").asInt()).isEqualTo(position);
        assertThat(byTag.json().get("waitlisted").asInt()).isEqualTo(waitlisted);
        assertThat(conditional(path, student, "If-Modified-Since", oldModified).status()).isEqualTo(200);
    }

    /**
     * {@code GET /student/classes} is answered from a Redis cache (issue 11) and is never stale after a change: a
     * class created, a seat taken or given back, a waiting list joined or left, a patch, a removal. Each step reads
     * the listing twice, so the second answer is the cached one.
     */
    @Test
    void theClassListingFollowsEveryChangeOfAClass() {
        Student reader = running.campus.student();
        long classId = running.campus.newClass(1);
        assertListed(reader, classId, 0, 0, "Web Back-End Engineering");

        Student seated = running.campus.student();
        assertThat(running.campus.enroll(seated, classId).status()).isEqualTo(201);
        assertListed(reader, classId, 1, 0, "Web Back-End Engineering");

        Api.Response patched = running.api.send("PATCH", "/registrar/classes/" + classId, running.campus.registrar,
                Map.of("title", "Renamed"), Map.of());
        assertThat(patched.status()).isEqualTo(200);
        assertListed(reader, classId, 1, 0, "Renamed");

        Student waiting = running.campus.student();
        assertThat(running.campus.enroll(waiting, classId).status()).isEqualTo(202);
        assertListed(reader, classId, 1, 1, "Renamed");

        assertThat(running.api.delete("/student/waitlist/" + classId, waiting.token()).status()).isEqualTo(200);
        assertListed(reader, classId, 1, 0, "Renamed");

        assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);
        assertListed(reader, classId, 0, 0, "Renamed");

        assertThat(running.api.delete("/registrar/classes/" + classId,
                running.campus.registrar).status()).isEqualTo(200);
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
        Api.Response listing = running.api.get("/student/classes", reader.token());
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
