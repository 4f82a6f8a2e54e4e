package enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import text.Names;

/** The body of {@code PATCH /registrar/classes/{id}}: each field optional, at least one present. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassChanges(Long instructorId, Integer capacity, String title, String waitlistMode,
                           Integer offerHours) {

    public ClassChanges {
        if (instructorId == null && capacity == null && title == null && waitlistMode == null && offerHours == null) {
            throw new IllegalArgumentException("name at least one of instructorId, capacity, title, waitlistMode, "
                    + "offerHours");
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
    }
}
