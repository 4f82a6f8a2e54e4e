package notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/** A delivery that ran out of attempts or failed for good, as the registrar lists it. */
public record DeadLetter(String id, String eventId, String channel, String target, int attempts, String lastError,
                         Instant failedAt, @JsonIgnore Delivery delivery) {

    /** The stored form keeps the delivery, so a replay can send it again. */
    record Stored(String id, String lastError, Instant failedAt, Delivery delivery) {

        DeadLetter view() {
            return new DeadLetter(id, delivery.event().id(), delivery.channel(), delivery.target(),
                    delivery.attempts(), lastError, failedAt, delivery);
        }
    }
}
