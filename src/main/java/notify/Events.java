package notify;

import app.Json;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Waitlists;
import java.util.List;

/** The events of API.md, made from what the flows that cause them have at hand. */
public final class Events {

    private final Subscriptions subscriptions;

    public Events(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** An event as it arrives from the broker. */
    public Event read(String json) {
        return Json.read(json, Event.class);
    }

    /** A waiting student took a freed seat (the seed's event). */
    public Event enrolled(Waitlists.Promotion promotion, CourseClass course) {
        return Event.of(Event.ENROLLED, promotion.studentId(), promotion.name(), promotion.classId(), course.title());
    }

    /** An instructor dropped the student. */
    public Event dropped(Enrollments.Student student, CourseClass course) {
        return Event.of(Event.DROPPED, student.id(), student.name(), course.id(), course.title());
    }

    /** The registrar removed the class: one event for each student subscribed to it. */
    public List<Event> classRemoved(CourseClass course) {
        return subscriptions.subscribersOf(course.id()).stream()
                .map(student -> Event.of(Event.CLASS_REMOVED, student, null, course.id(), course.title()))
                .toList();
    }
}
