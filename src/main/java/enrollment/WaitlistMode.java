package enrollment;

import java.util.Set;

/**
 * How a class's freed seats reach its waiting list (docs/api.md "Classes", "Seat offers"): {@code auto} enrolls the first
 * student waiting at once; {@code offer} offers the seat to them for {@code offerHours} (1 to 168, 24 when not given:
 * Banner's "waitlist notification" default).
 */
public final class WaitlistMode {

    public static final String AUTO = "auto";
    public static final String OFFER = "offer";
    public static final int DEFAULT_OFFER_HOURS = 24;
    private static final Set<String> MODES = Set.of(AUTO, OFFER);

    private WaitlistMode() {
    }

    /**
     * @return {@code mode}
     * @throws IllegalArgumentException (a 400 for the request) unless it is {@code auto} or {@code offer}
     */
    static String require(String mode) {
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("waitlistMode must be 'auto' or 'offer'");
        }
        return mode;
    }

    /**
     * @return {@code hours}
     * @throws IllegalArgumentException (a 400 for the request) unless it is 1 to 168 (a week)
     */
    static int requireOfferHours(int hours) {
        if (hours < 1 || hours > 168) {
            throw new IllegalArgumentException("offerHours must be 1 to 168");
        }
        return hours;
    }
}
