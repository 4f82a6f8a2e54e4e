package enrollment;

import java.util.List;
import java.util.stream.IntStream;

/** The student lists of a class as its instructor sees them: enrolled, dropped, waiting. */
public final class Rosters {

    private final Enrollments enrollments;
    private final Waitlists waitlists;

    public Rosters(Enrollments enrollments, Waitlists waitlists) {
        this.enrollments = enrollments;
        this.waitlists = waitlists;
    }

    public Answers.EnrolledStudents enrolled(long classId) {
        return new Answers.EnrolledStudents(enrollments.enrolledIn(classId));
    }

    public Answers.DroppedStudents dropped(long classId) {
        return new Answers.DroppedStudents(enrollments.droppedFrom(classId));
    }

    public Answers.WaitingStudents waiting(long classId) {
        List<Long> students = waitlists.students(classId);
        return new Answers.WaitingStudents(IntStream.range(0, students.size())
                .mapToObj(i -> new Answers.WaitingStudent(students.get(i), waitlists.name(students.get(i)), i + 1))
                .toList());
    }
}
