package support;

import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/**
 * Waits, with a bound, for what the service does in the background after it answered: a promotion from the waiting
 * list (docs/api.md: "the drop's answer does not wait for it") and what follows from it (deliveries, retries); and
 * checks that nothing more happens in the background for a while, the one kind of wait a test cannot poll away.
 */
public final class Background {

    /** Far above what a promotion takes on an idle service (milliseconds), and within docs/api.md's "within seconds". */
    public static final Duration PROMOTION = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

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
                .pollInterval(POLL).untilAsserted(assertions);
    }

    /**
     * Checks that the assertions hold all through the period: that nothing happens meanwhile (no second delivery,
     * no attempt while a circuit is open). Only a period proves an absence, so this waits the whole of it.
     *
     * @param period how long they must keep holding
     * @param assertions the checks; they must hold from the start
     * @throws org.awaitility.core.ConditionTimeoutException (with the failure) when they stop holding
     */
    public static void throughout(Duration period, ThrowingRunnable assertions) {
        // a failure resets the period, so the bound only needs to exceed it: the checks here never hold again
        Awaitility.await().during(period).atMost(period.plusSeconds(1)).pollDelay(Duration.ZERO)
                .pollInterval(POLL).untilAsserted(assertions);
    }

    /**
     * Waits until the clock has passed the moment: a deadline the service keeps (an offer's expiry, a secret's
     * grace period) is over. Nothing to poll but the clock: what is checked after it is that the deadline counted.
     *
     * @param moment the deadline
     * @throws org.awaitility.core.ConditionTimeoutException when it is more than a minute away
     */
    public static void after(java.time.Instant moment) {
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> java.time.Instant.now().isAfter(moment));
    }

    /**
     * Waits until a count has stopped moving for {@code quiet}: the work begun before a change (attempts in flight
     * when a circuit opens) has ended.
     *
     * @param count what to read, say how many webhooks arrived
     * @param quiet how long it must stay the same
     * @return the settled count
     * @throws org.awaitility.core.ConditionTimeoutException when it is still moving after {@link #PROMOTION}
     */
    public static int settled(Supplier<Integer> count, Duration quiet) {
        int[] last = {count.get()};
        long[] since = {System.nanoTime()};
        Awaitility.await().atMost(PROMOTION).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
            int now = count.get();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= quiet.toNanos();
        });
        return last[0];
    }
}
