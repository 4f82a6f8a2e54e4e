package event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * One event on the {@code notify} exchange (docs/api.md "Events"). {@code action}, {@code uid} and {@code class} repeat
 * type, studentId and classId under the seed's names, for its consumers. {@code studentName} is added so the
 * email can greet the student without another lookup.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String id, String type, String action, long uid, @JsonProperty("class") long classRef,
                    long studentId, long classId, String title, String studentName, Instant occurredAt, Instant expiresAt) {

    public static final String ENROLLED = "enrolled";
    public static final String DROPPED = "dropped";
    public static final String CLASS_REMOVED = "class-removed";
    public static final String SEAT_OFFERED = "seat-offered";
    public static final String OFFER_EXPIRED = "offer-expired";

    /** An event without a deadline (every type but the offers'). */
    public Event(String id, String type, String action, long uid, long classRef, long studentId, long classId,
                 String title, String studentName, Instant occurredAt) {
        this(id, type, action, uid, classRef, studentId, classId, title, studentName, occurredAt, null);
    }

    public static Event of(String type, long studentId, String studentName, long classId, String title) {
        return new Event(UUID.randomUUID().toString(), type, type, studentId, classId, studentId, classId, title,
                studentName, Instant.now());
    }

    /**
     * An event about a seat offer ({@code seat-offered}, {@code offer-expired}), which carries its deadline.
     *
     * @param expiresAt when the offer lapses (lapsed)
     */
    public static Event ofOffer(String type, long studentId, String studentName, long classId, String title,
                                Instant expiresAt) {
        return new Event(UUID.randomUUID().toString(), type, type, studentId, classId, studentId, classId, title,
                studentName, Instant.now(), expiresAt);
    }
}
