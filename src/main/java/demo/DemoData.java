package demo;

import auth.NewUser;
import auth.PasswordHasher;
import auth.Role;
import auth.User;
import auth.Users;
import enrollment.ClassViews;
import enrollment.CompletedCourseImport.CompletedCourse;
import enrollment.CompletedCourses;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Meeting;
import enrollment.NewClass;
import enrollment.RegistrationRules;
import enrollment.Registrations;
import enrollment.StudentRecord;
import enrollment.Waitlists;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.Counters;

/**
 * The demo catalogue loaded on an empty store when DEMO_DATA is on: 7 departments, 16 classes (some full, some
 * with waiting lists; with credits, meeting times and prerequisites), 10 instructors and 300 students. The
 * credentials are in the README.
 */
public final class DemoData {

    public static final String STUDENT_PASSWORD = "student-password";
    public static final String INSTRUCTOR_PASSWORD = "instructor-password";

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    /**
     * A demo class: its course, capacity, how many demo students try to enroll, and what the registration rules check.
     *
     * @param credits 0 to 12
     * @param meetings weekly meetings, none for an online class
     * @param prerequisites groups of course codes, one of each to have completed
     */
    private record Course(String department, String code, String title, int capacity, int enroll, int credits,
                          List<Meeting> meetings, List<List<String>> prerequisites) {
    }

    /**
     * The usual campus slots: 50 minutes on MWF, 75 on TR. Two pairs of classes share a slot (CPSC 332 and ENGL 101,
     * CPSC 449 and HIST 180) and MATH 150A's Tuesday hour overlaps MATH 170A, so the time-conflict check has
     * something to refuse; ENGL 360 is online, without meetings.
     */
    private static final List<Course> COURSES = List.of(
            new Course("CPSC", "CPSC 449", "Web Back-End Engineering", 30, 36, 3,
                    List.of(new Meeting("TR", "11:00", "12:15")),
                    List.of(List.of("CPSC 131"), List.of("CPSC 332", "CPSC 362"))),
            new Course("CPSC", "CPSC 332", "File Structures and Databases", 25, 25, 3,
                    List.of(new Meeting("MWF", "09:00", "09:50")), List.of(List.of("CPSC 131"))),
            new Course("CPSC", "CPSC 362", "Foundations of Software Engineering", 35, 20, 3,
                    List.of(new Meeting("TR", "09:30", "10:45")), List.of(List.of("CPSC 131"))),
            new Course("CPSC", "CPSC 471", "Computer Communications", 30, 42, 3,
                    List.of(new Meeting("TR", "16:00", "17:15")), List.of(List.of("CPSC 131"))),
            new Course("MATH", "MATH 150A", "Calculus I", 40, 40, 4,
                    List.of(new Meeting("MWF", "08:00", "08:50"), new Meeting("T", "08:00", "08:50")), List.of()),
            new Course("MATH", "MATH 170A", "Mathematical Structures I", 30, 12, 3,
                    List.of(new Meeting("TR", "08:00", "09:15")), List.of()),
            new Course("MATH", "MATH 338", "Statistics Applied to Natural Sciences", 35, 30, 4,
                    List.of(new Meeting("MWF", "11:00", "11:50"), new Meeting("W", "14:00", "14:50")),
                    List.of(List.of("MATH 150A"))),
            new Course("PHYS", "PHYS 225", "Fundamental Physics: Mechanics", 30, 38, 3,
                    List.of(new Meeting("MWF", "10:00", "10:50")), List.of(List.of("MATH 150A"))),
            new Course("PHYS", "PHYS 225L", "Fundamental Physics: Mechanics Laboratory", 24, 15, 1,
                    List.of(new Meeting("F", "14:00", "16:50")), List.of()),
            new Course("ENGL", "ENGL 101", "Beginning College Writing", 25, 31, 3,
                    List.of(new Meeting("MWF", "09:00", "09:50")), List.of()),
            new Course("ENGL", "ENGL 360", "Technical Writing", 20, 8, 3, List.of(), List.of(List.of("ENGL 101"))),
            new Course("HIST", "HIST 110A", "World Civilizations to the 16th Century", 45, 30, 3,
                    List.of(new Meeting("TR", "13:00", "14:15")), List.of()),
            new Course("HIST", "HIST 180", "Survey of American History", 45, 45, 3,
                    List.of(new Meeting("TR", "11:00", "12:15")), List.of()),
            new Course("ECON", "ECON 201", "Principles of Microeconomics", 40, 52, 3,
                    List.of(new Meeting("MWF", "12:00", "12:50")), List.of()),
            new Course("ECON", "ECON 202", "Principles of Macroeconomics", 40, 22, 3,
                    List.of(new Meeting("TR", "14:30", "15:45")), List.of()),
            new Course("ARTS", "ARTS 107", "Introduction to Visual Culture", 20, 26, 3,
                    List.of(new Meeting("MWF", "13:00", "13:50")), List.of()));

    private static final String[] GIVEN = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances",
            "John", "Margaret", "Ken", "Radia", "Tim", "Shafi", "Leslie", "Hedy", "Dennis", "Katherine", "Niklaus",
            "Sophie", "Linus"};
    private static final String[] FAMILY = {"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen",
            "McCarthy", "Hamilton", "Thompson", "Perlman", "Berners-Lee", "Goldwasser", "Lamport", "Lamarr",
            "Ritchie", "Johnson", "Wirth", "Wilson", "Torvalds"};

    private final Users users;
    private final Counters counters;
    private final Classes classes;
    private final Enrollments enrollments;
    private final ClassViews classViews;
    private final Waitlists waitlists;
    private final Registrations registrations;
    private final CompletedCourses completedCourses;

    public DemoData(Users users, Counters counters, Classes classes, Enrollments enrollments, Waitlists waitlists,
                    ClassViews classViews, Registrations registrations, CompletedCourses completedCourses) {
        this.users = users;
        this.counters = counters;
        this.classes = classes;
        this.enrollments = enrollments;
        this.classViews = classViews;
        this.waitlists = waitlists;
        this.registrations = registrations;
        this.completedCourses = completedCourses;
    }

    /**
     * What the demo students completed before: most CPSC 131, half MATH 150A, three in four ENGL 101, so the
     * prerequisites of the upper-division classes let some in and refuse others (the n-th student by username).
     */
    private static List<CompletedCourse> transcripts(List<User> students) {
        List<CompletedCourse> completed = new java.util.ArrayList<>();
        for (int n = 1; n <= students.size(); n++) {
            long id = students.get(n - 1).id();
            if (n % 3 != 0) {
                completed.add(new CompletedCourse(id, "CPSC 131"));
            }
            if (n % 2 == 0) {
                completed.add(new CompletedCourse(id, "MATH 150A"));
            }
            if (n % 4 != 0) {
                completed.add(new CompletedCourse(id, "ENGL 101"));
            }
        }
        return completed;
    }

    /** Loads the catalogue unless a class was ever created (so never twice, never over real data). */
    public void loadIntoEmptyStore() {
        if (counters.used("class")) {
            return;
        }
        try {
            load();
        } catch (RuntimeException e) {
            LOG.warn("the demo catalogue was not loaded completely: {}", e.toString());
        }
    }

    private void load() {
        long started = System.currentTimeMillis();
        // One hash per role: 310 slow hashes would take a minute; these accounts are for demonstrations only.
        String studentHash = PasswordHasher.hash(STUDENT_PASSWORD);
        String instructorHash = PasswordHasher.hash(INSTRUCTOR_PASSWORD);
        // Accounts and classes are independent writes, so they go in parallel; within a class, students enroll
        // in a fixed order, so the same classes fill up and the same students wait on every fresh start.
        List<User> instructors = IntStream.rangeClosed(1, 10).parallel()
                .mapToObj(i -> users.create(new NewUser(String.format("instructor%02d", i), INSTRUCTOR_PASSWORD,
                        "Prof. " + FAMILY[i - 1], List.of(Role.Instructor.name())), instructorHash))
                .toList();
        List<User> students = IntStream.rangeClosed(1, 300).parallel()
                .mapToObj(i -> users.create(new NewUser(String.format("student%03d", i), STUDENT_PASSWORD,
                        GIVEN[i % GIVEN.length] + " " + FAMILY[(i / GIVEN.length) % FAMILY.length],
                        List.of(Role.Student.name())), studentHash))
                .toList();
        completedCourses.importAll(transcripts(students));
        IntStream.range(0, COURSES.size()).parallel().forEach(c -> {
            Course course = COURSES.get(c);
            CourseClass created = classes.create(counters.next("class"), new NewClass(course.department(),
                    course.code(), 1, course.title(), instructors.get(c % instructors.size()).id(), course.capacity(),
                    null, null, course.credits(), course.meetings(), course.prerequisites()));
            int offset = c * 37 % students.size();
            for (int s = 0; s < course.enroll(); s++) {
                User student = students.get((offset + s * 7) % students.size());
                enrollIfAllowed(created, student);
            }
            // the seats were taken behind the routes' backs: a class listing cached meanwhile is stale
            classViews.classChanged(created.id());
        });
        LOG.info("loaded the demo catalogue (16 classes, 10 instructors, 300 students) in {} ms",
                System.currentTimeMillis() - started);
    }

    /** As a student's enroll would: only when the registration rules pass, the waiting list when the class is full. */
    private void enrollIfAllowed(CourseClass course, User student) {
        Enrollments.Outcome outcome = Enrollments.Outcome.SCHEDULE_CHANGED;
        // classes load in parallel: another class may take the same student's schedule first, then check again
        while (outcome == Enrollments.Outcome.SCHEDULE_CHANGED) {
            StudentRecord record = registrations.record(student.id());
            if (RegistrationRules.broken(record, course, null) != null) {
                return;
            }
            outcome = enrollments.enroll(course, student.id(), student.name(), record.schedule().version(), null);
        }
        if (outcome == Enrollments.Outcome.FULL_OR_NO_CLASS) {
            joinIfAllowed(course.id(), student);
        }
    }

    private void joinIfAllowed(long classId, User student) {
        try {
            waitlists.join(classId, student.id(), student.name());
        } catch (problem.ProblemException limitReached) {
            // a demo student already on three lists simply stays off this one
        }
    }
}
