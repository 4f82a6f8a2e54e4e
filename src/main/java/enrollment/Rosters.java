package enrollment;

import java.util.List;
import java.util.stream.IntStream;

/** The student lists of a class as its instructor sees them: enrolled, dropped, waiting. */
public final class Rosters {

    private final Waitlists waitlists;
    private final Offers offers;

    public Rosters(Waitlists waitlists, Offers offers) {
        this.waitlists = waitlists;
        this.offers = offers;
    }

    /**
     * @param students the class's enrolled students (route {@code query-enrolled-students})
     * @return them as docs/api.md's {@code {students: [...]}}
     */
    public Answers.EnrolledStudents enrolled(List<Enrollments.Student> students) {
        return new Answers.EnrolledStudents(students);
    }

    /**
     * @param dropped the class's drops (route {@code query-dropped-students})
     * @return them as docs/api.md's {@code {students: [...]}}
     */
    public Answers.DroppedStudents dropped(List<Enrollments.Dropped> dropped) {
        return new Answers.DroppedStudents(dropped);
    }

    /**
     * @param classId the class
     * @return its waiting list in order (Redis) and its open offers, earliest deadline first (DynamoDB, consistent)
     */
    public Answers.WaitingStudents waiting(long classId) {
        List<Long> students = waitlists.students(classId);
        return new Answers.WaitingStudents(IntStream.range(0, students.size())
                .mapToObj(i -> new Answers.WaitingStudent(students.get(i), waitlists.name(students.get(i)), i + 1))
                .toList(), offers.ofClass(classId).stream()
                .map(offer -> new Answers.OfferedStudent(offer.studentId(), offer.name(), offer.expiresAt())).toList());
    }
}
