package enrollment;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import problem.ProblemException;

/**
 * The four checks of docs/api.md "Registration rules", in its order (Banner's registration error checking: prerequisite,
 * duplicate course, time conflict, maximum hours), each passed by a permit of the student for the class that names it.
 * Pure: the caller reads the student's record and the class, and the seat transaction that follows conditions on the
 * schedule's version, so what was checked is what is stored.
 */
public final class RegistrationRules {

    private RegistrationRules() {
    }

    /**
     * Checks a class for a student.
     *
     * @param record the student's record, read for this request
     * @param course the class they would take (a seat, an offer, a place on its list)
     * @param dropping a class the same step drops (a swap's {@code dropClassId}), which counts as already dropped;
     *                 null for none. The class itself never counts against itself (an offer being accepted is on the
     *                 schedule already)
     * @return the first rule broken, as its 409 problem with the members docs/api.md names; null when every rule passes
     */
    public static ProblemException broken(StudentRecord record, CourseClass course, Long dropping) {
        long classId = course.id();
        List<StudentRecord.ScheduledClass> others = record.schedule().classes().values().stream()
                .filter(other -> other.classId() != classId && (dropping == null || other.classId() != dropping))
                .toList();
        List<List<String>> missing = Prerequisites.missing(course.prerequisites(), record.completed());
        if (!missing.isEmpty() && !record.permits(classId, StudentRecord.PREREQUISITE)) {
            return problem("prerequisite-not-met", course.courseCode() + " requires "
                    + missing.stream().map(group -> String.join(" or ", group)).collect(Collectors.joining(", and "))
                    + ", not completed", Map.of("missing", missing));
        }
        List<Long> sameCourse = others.stream().filter(other -> other.courseCode().equals(course.courseCode()))
                .map(StudentRecord.ScheduledClass::classId).sorted().toList();
        if (!sameCourse.isEmpty() && !record.permits(classId, StudentRecord.DUPLICATE_COURSE)) {
            return problem("duplicate-course", "you already have a section of " + course.courseCode() + ": class "
                    + sameCourse.get(0), Map.of("enrolledIn", sameCourse.get(0)));
        }
        List<Long> conflicts = others.stream().filter(other -> Meeting.conflict(course.meetings(), other.meetings()))
                .map(StudentRecord.ScheduledClass::classId).sorted().toList();
        if (!conflicts.isEmpty() && !record.permits(classId, StudentRecord.TIME_CONFLICT)) {
            return problem("time-conflict", course.courseCode() + " meets at the same time as class"
                    + (conflicts.size() == 1 ? " " : "es ") + conflicts.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")), Map.of("conflictsWith", conflicts));
        }
        int credits = record.schedule().credits();
        int after = others.stream().mapToInt(StudentRecord.ScheduledClass::credits).sum() + course.credits();
        if (after > record.maxCredits() && !record.permits(classId, StudentRecord.CREDIT_LIMIT)) {
            return problem("credit-limit", "you have " + credits + " credits; with " + course.courseCode() + " ("
                    + course.credits() + ") you would have " + after + ", above your maximum of "
                    + record.maxCredits(), Map.of("credits", credits, "maxCredits", record.maxCredits()));
        }
        return null;
    }

    /**
     * As {@link #broken}, throwing what it finds.
     *
     * @throws ProblemException 409 {@code prerequisite-not-met}, {@code duplicate-course}, {@code time-conflict} or
     *         {@code credit-limit}
     */
    public static void require(StudentRecord record, CourseClass course, Long dropping) {
        ProblemException broken = broken(record, course, dropping);
        if (broken != null) {
            throw broken;
        }
    }

    /**
     * @param overrides a permit request's overrides
     * @return them, each one of {@link StudentRecord#OVERRIDES}, in the checks' order, without repeats
     * @throws IllegalArgumentException (400) when one is not a check's name, or there is none
     */
    public static List<String> requireOverrides(List<String> overrides) {
        if (overrides == null || overrides.isEmpty() || !StudentRecord.OVERRIDES.containsAll(overrides)) {
            throw new IllegalArgumentException("overrides must be a non-empty array of "
                    + String.join(", ", StudentRecord.OVERRIDES));
        }
        Set<String> named = Set.copyOf(overrides);
        return StudentRecord.OVERRIDES.stream().filter(named::contains).toList();
    }

    private static ProblemException problem(String code, String detail, Map<String, Object> members) {
        return new ProblemException(409, code, detail, Map.of(), members);
    }
}
