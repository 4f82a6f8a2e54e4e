package enrollment;

import java.util.List;

/**
 * Reads classes as docs/api.md shows them: the DynamoDB row plus the waiting list's length from Redis. The lengths of
 * a whole listing come back in one pipelined round trip.
 */
public final class Catalog {

    private final Classes classes;
    private final Enrollments enrollments;
    private final Waitlists waitlists;

    public Catalog(Classes classes, Enrollments enrollments, Waitlists waitlists) {
        this.classes = classes;
        this.enrollments = enrollments;
        this.waitlists = waitlists;
    }

    /** The listing of a given set of classes, in the given order. */
    public record ClassList(List<CourseClass> classes) {
    }

    public CourseClass get(long classId) {
        CourseClass course = classes.get(classId);
        return course.withWaitlisted(waitlists.size(classId));
    }

    /** Classes a student can still join: a free seat, or room on the waiting list. */
    public ClassList open() {
        return new ClassList(withWaitlists(classes.all()).stream()
                .filter(c -> c.hasFreeSeat() || c.waitlisted() < c.waitlistMax()).toList());
    }

    public ClassList taughtBy(long instructorId) {
        return new ClassList(withWaitlists(classes.taughtBy(instructorId)));
    }

    /** The student's seats and waiting-list places. */
    public Answers.StudentEnrollments enrollmentsOf(long studentId) {
        List<CourseClass> enrolled = withWaitlists(existing(enrollments.classesOf(studentId)));
        List<Answers.Waiting> waiting = withWaitlists(existing(waitlists.classesOf(studentId))).stream()
                .map(c -> new Answers.Waiting(c, waitlists.position(c.id(), studentId),
                        waitlists.swapFor(c.id(), studentId))).toList();
        return new Answers.StudentEnrollments(enrolled, waiting);
    }

    /**
     * @param offers the student's open offers
     * @return {@code GET /student/offers}: each offer with its class as docs/api.md shows it (offers of a class removed
     *         meanwhile are left out)
     */
    public Offers.StudentOffers offersOf(List<Offers.Offer> offers) {
        List<CourseClass> found = withWaitlists(existing(offers.stream().map(Offers.Offer::classId).toList()));
        return new Offers.StudentOffers(found.stream().map(course -> new Offers.StudentOffer(course,
                offers.stream().filter(offer -> offer.classId() == course.id()).findFirst().orElseThrow().expiresAt()))
                .toList());
    }

    private List<CourseClass> existing(List<Long> ids) {
        return ids.stream().map(classes::find).flatMap(java.util.Optional::stream).toList();
    }

    private List<CourseClass> withWaitlists(List<CourseClass> found) {
        List<Integer> sizes = waitlists.sizes(found.stream().map(CourseClass::id).toList());
        return java.util.stream.IntStream.range(0, found.size())
                .mapToObj(i -> found.get(i).withWaitlisted(sizes.get(i))).toList();
    }
}
