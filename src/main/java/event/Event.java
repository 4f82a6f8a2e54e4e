package event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One event on the {@code notify} exchange (docs/api.md "Events"). {@code action}, {@code uid} and {@code class} repeat
 * type, studentId and classId under the seed's names, for its consumers. {@code studentName} is added so the
 * email can greet the student without another lookup; an {@code enrolled} event says how the seat came in {@code via}
 * ({@link #VIA_WAITLIST}, {@link #VIA_OFFER}, {@link #VIA_SWAP}), and a swap names the class dropped
 * ({@code droppedClassId}, {@code droppedTitle}), so the email can tell the student what happened.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String id, String type, String action, long uid, @JsonProperty("class") long classRef,
                    long studentId, long classId, String title, String studentName, Instant occurredAt, Instant expiresAt,
                    String via, Long droppedClassId, String droppedTitle) {

    public static final String ENROLLED = "enrolled";
    public static final String DROPPED = "dropped";
    public static final String CLASS_REMOVED = "class-removed";
    public static final String SEAT_OFFERED = "seat-offered";
    public static final String OFFER_EXPIRED = "offer-expired";
    /** How the seat of an {@code enrolled} event came: from the waiting list, an offer accepted, a swap. */
    public static final String VIA_WAITLIST = "waitlist";
    public static final String VIA_OFFER = "offer";
    public static final String VIA_SWAP = "swap";
}
