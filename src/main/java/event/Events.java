package event;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import json.Json;
import store.StoreCheck;

/**
 * The events of docs/api.md "Events", made from plain values (ids, names, titles) so that every flow that causes one,
 * whatever its own types, builds it here; and read back from the broker. Each made event has a fresh UUID and the
 * time of making.
 */
public final class Events {

    private static final Set<String> TYPES = Set.of(Event.ENROLLED, Event.DROPPED, Event.CLASS_REMOVED,
            Event.SEAT_OFFERED, Event.OFFER_EXPIRED);
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private Events() {
    }

    /** A waiting student took a freed seat (the seed's event), {@code via} {@link Event#VIA_WAITLIST}. */
    public static Event enrolled(long studentId, String name, long classId, String title) {
        return enrolled(studentId, name, classId, title, Event.VIA_WAITLIST, null, null);
    }

    /** The student accepted an offer: enrolled, as from the list (the seed's event), {@code via} offer. */
    public static Event offerAccepted(long studentId, String name, long classId, String title) {
        return enrolled(studentId, name, classId, title, Event.VIA_OFFER, null, null);
    }

    /**
     * A waiting student's swap was made when their turn came: enrolled in the class, the other dropped.
     *
     * @param droppedClassId the class they dropped
     * @param droppedTitle its title, or null when it was removed meanwhile (then only its id is named)
     */
    public static Event swapped(long studentId, String name, long classId, String title, long droppedClassId,
                                String droppedTitle) {
        return enrolled(studentId, name, classId, title, Event.VIA_SWAP, droppedClassId, droppedTitle);
    }

    /**
     * A freed seat is offered to the first student waiting (a class in {@code offer} mode).
     *
     * @param expiresAt the offer's deadline
     */
    public static Event seatOffered(long studentId, String name, long classId, String title, Instant expiresAt) {
        return of(Event.SEAT_OFFERED, studentId, name, classId, title, expiresAt);
    }

    /** The student let the offer that lapsed at {@code expiresAt} lapse. */
    public static Event offerExpired(long studentId, String name, long classId, String title, Instant expiresAt) {
        return of(Event.OFFER_EXPIRED, studentId, name, classId, title, expiresAt);
    }

    /** An instructor dropped the student. */
    public static Event dropped(long studentId, String name, long classId, String title) {
        return of(Event.DROPPED, studentId, name, classId, title, null);
    }

    /**
     * The registrar removed the class.
     *
     * @param subscribers the ids of the students subscribed to it
     * @return one event for each of them, without a name (a subscription does not keep one)
     */
    public static List<Event> classRemoved(List<Long> subscribers, long classId, String title) {
        return subscribers.stream().map(student -> of(Event.CLASS_REMOVED, student, null, classId, title, null))
                .toList();
    }

    /**
     * An event as it arrives from the broker: JSON of docs/api.md's shape with an id, a known type and positive ids.
     *
     * @param json the message body as text
     * @return the event
     * @throws UnreadableEventException saying why the message is not such an event
     */
    public static Event read(String json) {
        Event event;
        try {
            event = Json.read(json, Event.class);
        } catch (RuntimeException e) {
            throw new UnreadableEventException("not an event: " + StoreCheck.firstLine(e.getMessage()));
        }
        if (event == null) {
            throw new UnreadableEventException("not an event: the message is JSON null");
        }
        if (event.id() == null || !UUID_TEXT.matcher(event.id()).matches()) {
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

    private static Event enrolled(long studentId, String name, long classId, String title, String via,
                                  Long droppedClassId, String droppedTitle) {
        return new Event(UUID.randomUUID().toString(), Event.ENROLLED, Event.ENROLLED, studentId, classId, studentId,
                classId, title, name, Instant.now(), null, via, droppedClassId, droppedTitle);
    }

    private static Event of(String type, long studentId, String name, long classId, String title, Instant expiresAt) {
        return new Event(UUID.randomUUID().toString(), type, type, studentId, classId, studentId, classId, title,
                name, Instant.now(), expiresAt, null, null, null);
    }
}
