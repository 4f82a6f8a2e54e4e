package notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed attempt is tried again (docs/api.md "Delivery"): the next delay of {@code NOTIFY_RETRY_SCHEDULE},
 * jittered by ±20%, or later when the target's Retry-After asks for it (never beyond the schedule's longest delay);
 * after the schedule's last delay, never (a dead letter). Svix's worker computes its retry the same way.
 */
public class RetrySchedule {

    private final List<Duration> delays;
    private final Duration longestDelay;

    /** @param delays the delays between attempts ({@code NOTIFY_RETRY_SCHEDULE}), the first after attempt 1 */
    public RetrySchedule(List<Duration> delays) {
        this.delays = delays;
        this.longestDelay = delays.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * @param delivery the delivery whose attempt failed, that attempt counted
     * @param outcome how it failed (its Retry-After, if any)
     * @param nowMillis the time of the failure (epoch ms)
     * @return when the next attempt is due (epoch ms), or null when the schedule is used up
     */
    public Long nextAttemptAt(Delivery delivery, Outcome outcome, long nowMillis) {
        if (delivery.attempts() > delays.size()) {
            return null;
        }
        long delay = jittered(delays.get(delivery.attempts() - 1));
        if (outcome.retryAfterSeconds() != null) {
            // Retry-After is honoured, but never beyond the longest delay of the schedule
            delay = Math.max(delay, Math.min(outcome.retryAfterSeconds() * 1000, longestDelay.toMillis()));
        }
        return nowMillis + delay;
    }

    /** ±20% so that deliveries failing together do not retry in lockstep (ms). */
    static long jittered(Duration delay) {
        return Math.round(delay.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }
}
