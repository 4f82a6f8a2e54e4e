package enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The small JSON answers of the enrollment endpoints, as docs/api.md spells them. */
public final class Answers {

    private Answers() {
    }

    /** {@code {status, classId[, position]}}: enrolled, waitlisted, dropped, removed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String status, long classId, Integer position) {

        public static Status of(String status, long classId) {
            return new Status(status, classId, null);
        }

        public static Status waitlisted(long classId, int position) {
            return new Status("waitlisted", classId, position);
        }
    }

    /** {@code GET /student/waitlist/{classId}}. */
    public record Position(long classId, int position, int waitlisted) {
    }

    /**
     * {@code {status: swapped, dropped, enrolled}}: a swap done at once (docs/api.md "Swaps").
     *
     * @param dropped the class left
     * @param enrolled the class taken
     */
    public record Swapped(String status, long dropped, long enrolled) {

        public static Swapped of(long dropped, long enrolled) {
            return new Swapped("swapped", dropped, enrolled);
        }
    }

    /**
     * {@code {status: waitlisted, classId, position, swapFor}}: a swap that waits on the full class's list.
     *
     * @param swapFor the class dropped when the turn comes
     */
    public record WaitingSwap(String status, long classId, int position, long swapFor) {

        public static WaitingSwap of(long classId, int position, long swapFor) {
            return new WaitingSwap("waitlisted", classId, position, swapFor);
        }
    }

    /**
     * A class the student waits for, with their place in line, and the class they drop when they take it (a swap;
     * absent otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Waiting(CourseClass course, int position, Long swapFor) {
        @com.fasterxml.jackson.annotation.JsonProperty("class")
        public CourseClass course() {
            return course;
        }
    }

    /** {@code GET /student/enrollments}. */
    public record StudentEnrollments(List<CourseClass> enrolled, List<Waiting> waitlisted) {
    }

    /** {@code GET /instructor/classes/{classId}/enrolled}. */
    public record EnrolledStudents(List<Enrollments.Student> students) {
    }

    /** {@code GET /instructor/classes/{classId}/dropped}. */
    public record DroppedStudents(List<Enrollments.Dropped> students) {
    }

    /** {@code GET /instructor/classes/{classId}/waitlist}: the list in order, and the open offers of its seats. */
    public record WaitingStudents(List<WaitingStudent> students, List<OfferedStudent> offers) {
    }

    /** A student holding an open offer of a seat, as an instructor sees it. */
    public record OfferedStudent(long id, String name, java.time.Instant expiresAt) {
    }

    /** A student on a waiting list as an instructor sees it. */
    public record WaitingStudent(long id, String name, int position) {
    }
}
