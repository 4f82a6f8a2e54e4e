package support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/**
 * Waits, with a bound, for what the service does in the background after it answered: a promotion from the waiting
 * list (API.md: "the drop's answer does not wait for it") and what follows from it.
 */
public final class Background {

    /** Far above what a promotion takes on an idle service (milliseconds), and within API.md's "within seconds". */
    public static final Duration PROMOTION = Duration.ofSeconds(10);

    private Background() {
    }

    /**
     * Repeats the assertions until they hold, for at most {@link #PROMOTION} (a check that throws, say reading a
     * list not filled yet, counts as not holding yet).
     *
     * @param assertions the checks, as they would be made once the background work is done
     * @throws org.awaitility.core.ConditionTimeoutException (with the last assertion's failure) when they never hold
     */
    public static void eventually(ThrowingRunnable assertions) {
        eventually(PROMOTION, assertions);
    }

    /**
     * As {@link #eventually(ThrowingRunnable)}, for background work on a longer period (the promotion sweep).
     *
     * @param within the bound
     * @param assertions the checks
     */
    public static void eventually(Duration within, ThrowingRunnable assertions) {
        Awaitility.await().atMost(within).ignoreExceptions().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).untilAsserted(assertions);
    }
}
