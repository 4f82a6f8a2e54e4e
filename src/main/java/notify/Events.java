package notify;

import enrollment.CourseClass;
import enrollment.Offers;
import enrollment.Enrollments;
import enrollment.PromotionsInFlight;
import event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import json.Json;
import store.StoreCheck;

/** The events of docs/api.md, made from what the flows that cause them have at hand. */
public final class Events {

    private final Subscriptions subscriptions;

    public Events(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    private static final Set<String> TYPES = Set.of(Event.ENROLLED, Event.DROPPED, Event.CLASS_REMOVED, Event.SEAT_OFFERED,
            Event.OFFER_EXPIRED);
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    /**
     * An event as it arrives from the broker: JSON of docs/api.md's shape with an id, a known type and positive ids.
     *
     * @param json the message body as text
     * @throws UnreadableEventException saying why the message is not such an event
     */
    public Event read(String json) {
        Event event;
        try {
            event = Json.read(json, Event.class);
        } catch (RuntimeException e) {
            throw new UnreadableEventException("not an event: " + StoreCheck.firstLine(e.getMessage()));
        }
        if (event == null) {
            throw new UnreadableEventException("not an event: the message is JSON null");
        }
        if (event.id() == null || !UUID.matcher(event.id()).matches()) {
            throw new UnreadableEventException("not an event: 'id' is not a UUID");
        }
        if (!TYPES.contains(event.type())) {
            throw new UnreadableEventException("not an event: 'type' is not one of " + TYPES);
        }
        if (event.studentId() <= 0 || event.classId() <= 0) {
            throw new UnreadableEventException("not an event: 'studentId' and 'classId' must be positive");
        }
        return event;
    }

    /** A waiting student took a freed seat (the seed's event). */
    public Event enrolled(PromotionsInFlight.Promotion promotion, CourseClass course) {
        return Event.enrolled(promotion.studentId(), promotion.name(), promotion.classId(), course.title(),
                Event.VIA_WAITLIST, null, null);
    }

    /**
     * A waiting student's swap was made when their turn came: enrolled in the class, the other dropped.
     *
     * @param dropped the class they dropped, or null when it was removed meanwhile (then only its id is named)
     */
    public Event swapped(PromotionsInFlight.Promotion promotion, CourseClass course, CourseClass dropped) {
        return Event.enrolled(promotion.studentId(), promotion.name(), promotion.classId(), course.title(),
                Event.VIA_SWAP, promotion.swapFor(), dropped == null ? null : dropped.title());
    }

    /**
     * A freed seat is offered to the first student waiting (a class in {@code offer} mode).
     *
     * @param expiresAt the offer's deadline
     */
    public Event seatOffered(PromotionsInFlight.Promotion promotion, CourseClass course, Instant expiresAt) {
        return Event.ofOffer(Event.SEAT_OFFERED, promotion.studentId(), promotion.name(), promotion.classId(),
                course.title(), expiresAt);
    }

    /** The student let the offer lapse. */
    public Event offerExpired(Offers.Offer offer, CourseClass course) {
        return Event.ofOffer(Event.OFFER_EXPIRED, offer.studentId(), offer.name(), offer.classId(), course.title(),
                offer.expiresAt());
    }

    /** The student accepted an offer: enrolled, as from the list (the seed's event). */
    public Event offerAccepted(long studentId, String name, CourseClass course) {
        return Event.enrolled(studentId, name, course.id(), course.title(), Event.VIA_OFFER, null, null);
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
