package enrollment;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import json.NotNull;
import text.Names;

/**
 * The body of {@code POST /registrar/classes}; {@code waitlistMode} ({@code auto} when absent), {@code offerHours} (24
 * when absent), {@code credits} (3 when absent), {@code meetings} and {@code prerequisites} (none when absent) are
 * optional. An explicit JSON {@code null} for {@code credits}, {@code meetings} or {@code prerequisites} is refused (400
 * {@code invalid-request}), as on PATCH ({@link ClassChanges}): none is {@code []}.
 */
public record NewClass(String department, String courseCode, Integer section, String title, Long instructorId,
                       Integer capacity, String waitlistMode, Integer offerHours,
                       @JsonDeserialize(using = NotNull.class) Integer credits,
                       @JsonDeserialize(using = NotNull.class) List<Meeting> meetings,
                       @JsonDeserialize(using = NotNull.class) List<List<String>> prerequisites) {

    public NewClass {
        department = Names.require("department", department, 16);
        courseCode = Names.require("courseCode", courseCode, 32);
        title = Names.require("title", title, 200);
        if (section == null || section < 1) {
            throw new IllegalArgumentException("section must be a positive integer");
        }
        if (instructorId == null || instructorId < 1) {
            throw new IllegalArgumentException("instructorId must be a positive integer id");
        }
        if (capacity == null || capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        waitlistMode = waitlistMode == null ? WaitlistMode.AUTO : WaitlistMode.require(waitlistMode);
        offerHours = offerHours == null ? WaitlistMode.DEFAULT_OFFER_HOURS : WaitlistMode.requireOfferHours(offerHours);
        credits = CourseClass.requireCredits(credits);
        meetings = Meeting.requireAll(meetings);
        prerequisites = Prerequisites.require(prerequisites);
    }
}
