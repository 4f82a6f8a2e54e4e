package enrollment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A class (one section of a course) as docs/api.md shows it; {@code offered} counts the seats held by open offers, which
 * count against the capacity as enrolled seats do. {@code credits}, {@code meetings} and {@code prerequisites} are what
 * the registration rules check (docs/api.md "Registration rules"). {@code version} counts the changes of the DynamoDB row
 * and {@code updatedAt} is the time of the last one; both feed the conditional requests, not the JSON.
 */
public record CourseClass(long id, String department, String courseCode, int section, String title,
                          long instructorId, int capacity, int enrolled, int offered, int waitlisted, int waitlistMax,
                          String waitlistMode, int offerHours, int credits, List<Meeting> meetings,
                          List<List<String>> prerequisites, @JsonIgnore long version, @JsonIgnore Instant updatedAt) {

    /** docs/api.md: a class's credits when the request names none. */
    public static final int DEFAULT_CREDITS = 3;
    /** docs/api.md: credits are 0 to 12. */
    public static final int MAX_CREDITS = 12;

    /**
     * @param item a class row as a GetItem found it: empty or null when there is no such class
     * @return the class, or null when there is none
     */
    public static CourseClass fromNullable(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? null : from(item);
    }

    /**
     * A row written before classes had a waiting-list mode reads as {@code auto}, 24 hours, no offers; one from before
     * the registration rules as 3 credits, no meetings, no prerequisites.
     */
    static CourseClass from(Map<String, AttributeValue> item) {
        return new CourseClass(n(item, "id"), item.get("department").s(), item.get("courseCode").s(),
                (int) n(item, "section"), item.get("title").s(), n(item, "instructorId"), (int) n(item, "capacity"),
                (int) n(item, "enrolled"), item.containsKey("offered") ? (int) n(item, "offered") : 0, 0,
                Waitlists.MAX_PER_LIST,
                item.containsKey("waitlistMode") ? item.get("waitlistMode").s() : WaitlistMode.AUTO,
                item.containsKey("offerHours") ? (int) n(item, "offerHours") : WaitlistMode.DEFAULT_OFFER_HOURS,
                item.containsKey("credits") ? (int) n(item, "credits") : DEFAULT_CREDITS, Meeting.from(item.get("meetings")),
                Prerequisites.from(item.get("prerequisites")), n(item, "version"), Instant.ofEpochMilli(n(item, "updatedAt")));
    }

    /** The same class with its waiting list's current length (kept in Redis). */
    public CourseClass withWaitlisted(int count) {
        return new CourseClass(id, department, courseCode, section, title, instructorId, capacity, enrolled, offered, count,
                waitlistMax, waitlistMode, offerHours, credits, meetings, prerequisites, version, updatedAt);
    }

    /** Whether a seat is neither taken nor held for an offer. */
    public boolean hasFreeSeat() {
        return enrolled + offered < capacity;
    }

    /**
     * @param credits 0 to {@link #MAX_CREDITS}, or null for {@link #DEFAULT_CREDITS}
     * @return the credits
     * @throws IllegalArgumentException (a 400 {@code invalid-request}) outside 0 to 12
     */
    public static int requireCredits(Integer credits) {
        if (credits == null) {
            return DEFAULT_CREDITS;
        }
        if (credits < 0 || credits > MAX_CREDITS) {
            throw new IllegalArgumentException("credits must be an integer from 0 to " + MAX_CREDITS);
        }
        return credits;
    }

    public String name() {
        return courseCode + "-" + section + " " + title;
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }
}
