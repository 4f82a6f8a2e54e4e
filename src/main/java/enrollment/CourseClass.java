package enrollment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A class (one section of a course) as docs/api.md shows it; {@code offered} counts the seats held by open offers, which
 * count against the capacity as enrolled seats do. {@code version} counts the changes of the DynamoDB row
 * and {@code updatedAt} is the time of the last one; both feed the conditional requests, not the JSON.
 */
public record CourseClass(long id, String department, String courseCode, int section, String title,
                          long instructorId, int capacity, int enrolled, int offered, int waitlisted, int waitlistMax,
                          String waitlistMode, int offerHours, @JsonIgnore long version, @JsonIgnore Instant updatedAt) {

    /** A row written before classes had a waiting-list mode reads as {@code auto}, 24 hours, no offers. */
    static CourseClass from(Map<String, AttributeValue> item) {
        return new CourseClass(n(item, "id"), item.get("department").s(), item.get("courseCode").s(),
                (int) n(item, "section"), item.get("title").s(), n(item, "instructorId"), (int) n(item, "capacity"),
                (int) n(item, "enrolled"), item.containsKey("offered") ? (int) n(item, "offered") : 0, 0,
                Waitlists.MAX_PER_LIST,
                item.containsKey("waitlistMode") ? item.get("waitlistMode").s() : WaitlistMode.AUTO,
                item.containsKey("offerHours") ? (int) n(item, "offerHours") : WaitlistMode.DEFAULT_OFFER_HOURS,
                n(item, "version"), Instant.ofEpochMilli(n(item, "updatedAt")));
    }

    /** The same class with its waiting list's current length (kept in Redis). */
    public CourseClass withWaitlisted(int count) {
        return new CourseClass(id, department, courseCode, section, title, instructorId, capacity, enrolled, offered, count,
                waitlistMax, waitlistMode, offerHours, version, updatedAt);
    }

    /** Whether a seat is neither taken nor held for an offer. */
    public boolean hasFreeSeat() {
        return enrolled + offered < capacity;
    }

    public String name() {
        return courseCode + "-" + section + " " + title;
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }
}
