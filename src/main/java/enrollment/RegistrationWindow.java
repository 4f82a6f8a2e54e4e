package enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * When a student may enroll (docs/api.md "Registration windows and holds"): from {@code opensAt} (inclusive) until
 * {@code closesAt} (exclusive); either end may be open (null). Also the body and answer of
 * {@code PUT /registrar/registration-windows/default}, RFC 3339 times as text.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RegistrationWindow(Instant opensAt, Instant closesAt) {

    /** No window: enrolling is allowed at any time. */
    public static final RegistrationWindow ANY_TIME = new RegistrationWindow(null, null);

    /** The body of {@code PUT /registrar/registration-windows/default}: RFC 3339 times, either optional. */
    public record DefaultWindowRequest(String opensAt, String closesAt) {
        public DefaultWindowRequest {
            parse(opensAt, closesAt);  // refuses a time that does not read, or a window that closes before it opens
        }

        /** @return the window the body describes */
        public RegistrationWindow window() {
            return parse(opensAt, closesAt);
        }
    }

    public RegistrationWindow {
        if (opensAt != null && closesAt != null && !closesAt.isAfter(opensAt)) {
            throw new IllegalArgumentException("closesAt must be later than opensAt");
        }
    }

    /**
     * @param opensAt an RFC 3339 date-time, or null or empty for none
     * @param closesAt an RFC 3339 date-time, or null or empty for none
     * @return the window
     * @throws IllegalArgumentException naming the field that is not an RFC 3339 date-time with an offset, or when
     *         the window closes before it opens
     */
    public static RegistrationWindow parse(String opensAt, String closesAt) {
        return new RegistrationWindow(time("opensAt", opensAt), time("closesAt", closesAt));
    }

    /** @return whether enrolling is allowed at {@code now} */
    public boolean contains(Instant now) {
        return (opensAt == null || !now.isBefore(opensAt)) && (closesAt == null || now.isBefore(closesAt));
    }

    /** An RFC 3339 {@code date-time} (section 5.6): a date, a time and an offset ({@code Z} or ±hh:mm). */
    private static Instant time(String field, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an RFC 3339 date-time such as "
                    + "2026-08-03T08:00:00Z");
        }
    }
}
