package routes;

import enrollment.CourseClass;
import enrollment.StudentRecord;
import enrollment.WaitlistMode;
import enrollment.PromotionsInFlight.Promotion;
import event.Event;
import org.apache.camel.Exchange;

/**
 * One promotion as it goes from step to step of {@code finish-promotion} (one exchange property, {@link #PROPERTY}),
 * the way Svix's worker carries a {@code DispatchContext}: the promotion taken off the list, its class as read, the
 * student's record as last read, the class their swap drops, and the event the seat transaction writes.
 */
final class PromotionContext {

    static final String PROPERTY = "promotion";

    private final Promotion promotion;
    private CourseClass course;
    private StudentRecord student;
    private Long swapping;
    private Event event;

    /** @param promotion the promotion in flight */
    PromotionContext(Promotion promotion) {
        this.promotion = promotion;
    }

    static PromotionContext of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, PromotionContext.class);
    }

    Promotion promotion() {
        return promotion;
    }

    /** @return the class as read when the promotion was taken up, or null when it no longer exists */
    CourseClass course() {
        return course;
    }

    void course(CourseClass read) {
        course = read;
    }

    /** @return whether the class holds a freed seat for its first student instead of giving it */
    boolean offerMode() {
        return WaitlistMode.OFFER.equals(course.waitlistMode());
    }

    /** @return the student's record as last read */
    StudentRecord student() {
        return student;
    }

    void student(StudentRecord read) {
        student = read;
    }

    /** @return the class the student's swap drops, or null for an ordinary promotion */
    Long swapping() {
        return swapping;
    }

    void swapping(Long classId) {
        swapping = classId;
    }

    /** @return the event the seat transaction wrote, published once it is stored */
    Event event() {
        return event;
    }

    /** Makes the event of the seat about to be given; the seat transaction writes it into the outbox. */
    Event event(Event made) {
        event = made;
        return made;
    }
}
