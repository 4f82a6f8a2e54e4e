package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import support.Campus;
import support.Campus.Student;

/**
 * A new class with every seat taken and students waiting, in the order they enrolled: where the tests of promotions
 * begin.
 *
 * @param classId the class
 * @param seated the students holding its seats
 * @param waiting the students on its waiting list, the first first
 */
record FullClass(long classId, List<Student> seated, List<Student> waiting) {

    /**
     * Creates the class and enrolls new students one after another, checking that the first {@code capacity} are
     * seated (201) and the others wait (202).
     *
     * @param campus where to create them
     * @param capacity the class's seats, all taken
     * @param waiting how many wait
     * @return the class and its students
     */
    static FullClass of(Campus campus, int capacity, int waiting) {
        long classId = campus.newClass(capacity);
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < capacity + waiting; i++) {
            Student student = campus.student();
            assertThat(campus.enroll(student, classId).status()).isEqualTo(i < capacity ? 201 : 202);
            students.add(student);
        }
        return new FullClass(classId, students.subList(0, capacity), students.subList(capacity, students.size()));
    }

    /** @return the student in seat {@code i} (0 first) */
    Student seated(int i) {
        return seated.get(i);
    }

    /** @return the student at position {@code i + 1} of the waiting list */
    Student waiting(int i) {
        return waiting.get(i);
    }
}
