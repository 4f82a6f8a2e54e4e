package notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A delivery that ran out of attempts or failed for good, or a queue message that was no event (channel
 * {@code unreadable}, its {@code target} the queue it came from, its {@code body} kept up to 64 KiB), as the
 * registrar lists it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(String id, String eventId, String channel, String target, int attempts, String lastError,
                         Instant failedAt, String body, @JsonIgnore Delivery delivery) {

    /** The channel of a parked message that was not a readable event. */
    public static final String UNREADABLE = "unreadable";

    /** The stored form keeps the delivery, so a replay can send it again; or the unreadable message's body. */
    record Stored(String id, String lastError, Instant failedAt, Delivery delivery, String queue, String body) {

        DeadLetter view() {
            if (delivery == null) {
                return new DeadLetter(id, null, UNREADABLE, queue, 1, lastError, failedAt, body, null);
            }
            return new DeadLetter(id, delivery.event().id(), delivery.channel(), delivery.target(),
                    delivery.attempts(), lastError, failedAt, null, delivery);
        }
    }
}
