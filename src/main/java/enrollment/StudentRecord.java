package enrollment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an add asks of one student (docs/api.md "Registration windows and holds", "Registration rules"), from one
 * consistent Query of their partition of the {@code registration} table ({@link Registrations#record}): their
 * registration (window, holds, credits), the courses they completed, their permits, their credit maximum, and their
 * schedule, the classes they are enrolled in or hold an offer for, versioned so that a seat transaction can condition
 * on it.
 *
 * @param studentId the student
 * @param registration their window and holds as of the read, with their credits and maximum
 * @param completed the course codes they completed
 * @param maxCredits the maximum that applies to them: their own, else {@code MAX_CREDITS}
 * @param permits their permits, by class id
 * @param schedule their enrolled and offered classes
 */
public record StudentRecord(long studentId, RegistrationStatus registration, Set<String> completed, int maxCredits,
                            Map<Long, Permit> permits, Schedule schedule) {

    /** The checks of docs/api.md "Registration rules", by the name a permit overrides them with. */
    public static final String PREREQUISITE = "prerequisite";
    public static final String DUPLICATE_COURSE = "duplicate-course";
    public static final String TIME_CONFLICT = "time-conflict";
    public static final String CREDIT_LIMIT = "credit-limit";
    /** Every override a permit may carry, in the order the checks run. */
    public static final List<String> OVERRIDES = List.of(PREREQUISITE, DUPLICATE_COURSE, TIME_CONFLICT, CREDIT_LIMIT);

    /**
     * A permit: the student passes the named checks for one class.
     *
     * @param classId the class it is for
     * @param overrides the checks it lets the student pass, a subset of {@link #OVERRIDES}
     * @param grantedBy the user id of the registrar or instructor who granted it
     * @param grantedAt when
     */
    public record Permit(long classId, List<String> overrides, long grantedBy, Instant grantedAt) {
    }

    /**
     * A class on the student's schedule, as it was when they took the seat or the offer (a copy kept on the schedule
     * item, so the checks need no read of other class rows; a change of the class's credits or meetings rewrites it).
     *
     * @param classId the class
     * @param courseCode its course code (the duplicate-course check)
     * @param credits its credits
     * @param meetings its meetings
     */
    public record ScheduledClass(long classId, String courseCode, int credits, List<Meeting> meetings) {

        /** @return the entry for a class's row */
        public static ScheduledClass of(CourseClass course) {
            return new ScheduledClass(course.id(), course.courseCode(), course.credits(), course.meetings());
        }
    }

    /**
     * The student's enrolled and offered classes.
     *
     * @param version the schedule item's version: 0 when there is no item yet; every change adds one
     * @param classes by class id
     */
    public record Schedule(long version, Map<Long, ScheduledClass> classes) {

        /** @return the credits of every class on it */
        public int credits() {
            return classes.values().stream().mapToInt(ScheduledClass::credits).sum();
        }
    }

    /**
     * @param classId a class
     * @param check one of {@link #OVERRIDES}
     * @return whether a permit lets the student pass that check for that class
     */
    public boolean permits(long classId, String check) {
        Permit permit = permits.get(classId);
        return permit != null && permit.overrides().contains(check);
    }
}
