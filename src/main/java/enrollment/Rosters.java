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

    /**
     * @param students the class's enrolled students (route {@code query-enrolled-students})
     * @return them as API.md's {@code {students: [...]}}
     */
    public Answers.Students enrolled(List<Enrollments.Student> students) {
        return new Answers.Students(students);
    }

    public Answers.Students dropped(long classId) {
        return new Answers.Students(enrollments.droppedFrom(classId));
    }

    public Answers.Students waiting(long classId) {
        List<Long> students = waitlists.students(classId);
        return new Answers.Students(IntStream.range(0, students.size())
                .mapToObj(i -> new Answers.WaitingStudent(students.get(i), waitlists.name(students.get(i)), i + 1))
                .toList());
    }
}
