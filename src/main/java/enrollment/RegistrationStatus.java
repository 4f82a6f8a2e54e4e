package enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import problem.ProblemException;

/**
 * What registration day asks of one student (docs/api.md "Registration windows and holds"): the window that applies to
 * them (their own, else the default, else none) and their holds. The registrar's answer of
 * {@code GET /registrar/students/{studentId}/registration}; {@link #forStudent} is the student's own.
 *
 * @param open whether they may enroll now: inside the window and without a hold
 * @param credits the credits of the classes they are enrolled in or hold an offer for
 * @param maxCredits their credit maximum (docs/api.md "Registration rules")
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RegistrationStatus(Instant opensAt, Instant closesAt, boolean open, List<Hold> holds, int credits,
                                 int maxCredits) {

    /** A hold as the registrar sees it: why, and since when (the first time it was placed). */
    public record Hold(String code, String reason, Instant since) {
    }

    /** A hold as the student sees it. */
    public record HoldReason(String code, String reason) {
    }

    /** {@code GET /student/registration}: the holds without the registrar's bookkeeping. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record StudentRegistration(Instant opensAt, Instant closesAt, boolean open, List<HoldReason> holds,
                                      int credits, int maxCredits) {
    }

    /**
     * @param window the window that applies to the student
     * @param holds their holds, by code
     * @param now the time the answer is for
     * @param credits the credits of their enrolled and offered classes
     * @param maxCredits their credit maximum
     * @return the student's registration at {@code now}
     */
    public static RegistrationStatus of(RegistrationWindow window, List<Hold> holds, Instant now, int credits,
                                        int maxCredits) {
        return new RegistrationStatus(window.opensAt(), window.closesAt(), holds.isEmpty() && window.contains(now), holds,
                credits, maxCredits);
    }

    public StudentRegistration forStudent() {
        return new StudentRegistration(opensAt, closesAt, open,
                holds.stream().map(hold -> new HoldReason(hold.code(), hold.reason())).toList(), credits, maxCredits);
    }

    /**
     * Lets the student accept an offer, or refuses (403): an offer is accepted whatever the window (it was made
     * while they waited), but not with a hold.
     *
     * @param registration the student's registration, read for this request
     * @throws ProblemException 403 {@code registration-hold} with the reasons in {@code detail}
     */
    public static void requireNoHold(RegistrationStatus registration) {
        if (!registration.holds.isEmpty()) {
            throw new ProblemException(403, "registration-hold", "registration is blocked by "
                    + (registration.holds.size() == 1 ? "a hold: " : registration.holds.size() + " holds: ")
                    + registration.holds.stream().map(hold -> hold.reason() + " (" + hold.code() + ")")
                    .collect(Collectors.joining("; ")));
        }
    }

    /**
     * Lets the student take a seat or a waiting place, or refuses (403): a hold first (it stays until the
     * registrar lifts it), then the window.
     *
     * @param registration the student's registration, read for this request
     * @throws ProblemException 403 {@code registration-hold} with the reasons in {@code detail};
     *         {@code registration-not-open} with {@code opensAt} as a member and {@code Retry-After} (seconds until
     *         it opens, rounded up); {@code registration-closed}
     */
    public static void requireMayEnroll(RegistrationStatus registration) {
        requireNoHold(registration);
        Instant now = Instant.now();
        if (registration.opensAt != null && now.isBefore(registration.opensAt)) {
            long seconds = (Duration.between(now, registration.opensAt).toMillis() + 999) / 1000;
            throw new ProblemException(403, "registration-not-open", "your registration window opens at "
                    + registration.opensAt, Map.of("Retry-After", Long.toString(Math.max(1, seconds))),
                    Map.of("opensAt", registration.opensAt.toString()));
        }
        if (registration.closesAt != null && !now.isBefore(registration.closesAt)) {
            throw new ProblemException(403, "registration-closed", "your registration window closed at "
                    + registration.closesAt);
        }
    }
}
