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
                    long studentId, long classId, String title, String studentName, Instant occurredAt) {

    public static final String ENROLLED = "enrolled";
    public static final String DROPPED = "dropped";
    public static final String CLASS_REMOVED = "class-removed";

    public static Event of(String type, long studentId, String studentName, long classId, String title) {
        return new Event(UUID.randomUUID().toString(), type, type, studentId, classId, studentId, classId, title,
                studentName, Instant.now());
    }
}
