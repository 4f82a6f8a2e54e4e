package enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import json.NotNull;
import text.Names;

/**
 * The body of {@code PATCH /registrar/classes/{id}}: each field optional, at least one present, each validated as on
 * create. An explicit JSON {@code null} is refused (400 {@code invalid-request}) rather than read as "leave it": a
 * client sending {@code "meetings": null} may mean "clear them", which is {@code "meetings": []}.
 *
 * @param instructorId the new instructor's user id
 * @param capacity the new capacity, at least 1 (and at least the seats taken, checked when written)
 * @param title the new title
 * @param waitlistMode {@code auto} or {@code offer}
 * @param offerHours 1 to 168
 * @param credits 0 to 12
 * @param meetings the new weekly meetings, replacing all of them (none: {@code []})
 * @param prerequisites the new prerequisite groups, replacing all of them (none: {@code []})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassChanges(@JsonDeserialize(using = NotNull.class) Long instructorId,
                           @JsonDeserialize(using = NotNull.class) Integer capacity,
                           @JsonDeserialize(using = NotNull.class) String title,
                           @JsonDeserialize(using = NotNull.class) String waitlistMode,
                           @JsonDeserialize(using = NotNull.class) Integer offerHours,
                           @JsonDeserialize(using = NotNull.class) Integer credits,
                           @JsonDeserialize(using = NotNull.class) List<Meeting> meetings,
                           @JsonDeserialize(using = NotNull.class) List<List<String>> prerequisites) {

    /** @throws IllegalArgumentException (a 400 {@code invalid-request}) when no field is given or one is invalid */
    public ClassChanges {
        if (instructorId == null && capacity == null && title == null && waitlistMode == null && offerHours == null
                && credits == null && meetings == null && prerequisites == null) {
            throw new IllegalArgumentException("name at least one of instructorId, capacity, title, waitlistMode, "
                    + "offerHours, credits, meetings, prerequisites");
        }
        if (waitlistMode != null) {
            waitlistMode = WaitlistMode.require(waitlistMode);
        }
        if (offerHours != null) {
            WaitlistMode.requireOfferHours(offerHours);
        }
        if (instructorId != null && instructorId < 1) {
            throw new IllegalArgumentException("instructorId must be a positive integer id");
        }
        if (capacity != null && capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        if (title != null) {
            title = Names.require("title", title, 200);
        }
        if (credits != null) {
            CourseClass.requireCredits(credits);
        }
        if (meetings != null) {
            meetings = Meeting.requireAll(meetings);
        }
        if (prerequisites != null) {
            prerequisites = Prerequisites.require(prerequisites);
        }
    }

    /**
     * @return whether the change touches what a student's schedule keeps a copy of (credits, meetings), so the copies
     *         must be rewritten
     */
    public boolean reschedules() {
        return credits != null || meetings != null;
    }
}
