package notify;

import org.apache.camel.Exchange;

/**
 * One attempt of a delivery as it goes from step to step of the attempt pool (routes/NotificationRoutes), the way
 * Svix's worker carries a {@code DispatchContext}: the delivery as begun, when its lease began, when it was sent, what
 * the target answered and, for a retry, when it is due again. It travels in one exchange property,
 * {@link #PROPERTY}, because the body becomes the email or the webhook request while it is sent.
 */
public final class Attempt {

    /** The exchange property that holds it. */
    public static final String PROPERTY = "attempt";

    private final Delivery delivery;
    private final long leasedAt;
    private final long startedAt;
    private Outcome outcome;
    private Long retryAt;

    private Attempt(Delivery delivery, long leasedAt) {
        this.delivery = delivery;
        this.leasedAt = leasedAt;
        this.startedAt = System.currentTimeMillis();
    }

    /**
     * Begins an attempt of the delivery ({@link Deliveries#begin}: leased, circuit checked).
     *
     * @return the attempt, or null when there is none to make: already delivered, being attempted elsewhere, or its
     *         circuit is open (then postponed)
     */
    public static Attempt begin(Delivery delivery, Deliveries deliveries) {
        long leasedAt = System.currentTimeMillis();
        Delivery begun = deliveries.begin(delivery);
        return begun == null ? null : new Attempt(begun, leasedAt);
    }

    /** @return the attempt the exchange carries, or null before one began */
    public static Attempt of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Attempt.class);
    }

    public Delivery delivery() {
        return delivery;
    }

    /** @return when the lease began (epoch ms): the outcome must be recorded while it holds */
    public long leasedAt() {
        return leasedAt;
    }

    /** @return when the email or the request was about to be sent (epoch ms) */
    public long startedAt() {
        return startedAt;
    }

    /** @return what the target answered, or null until it did */
    public Outcome outcome() {
        return outcome;
    }

    /** Records what the target answered (or that it did not) and, for a retry, when the next attempt is due. */
    public void ended(Outcome answered, RetrySchedule schedule) {
        outcome = answered;
        retryAt = answered.kind() == Outcome.Kind.RETRY
                ? schedule.nextAttemptAt(delivery, answered, System.currentTimeMillis()) : null;
    }

    /** @return when a retried delivery is due again (epoch ms), or null when it is not retried (done, or out of tries) */
    public Long retryAt() {
        return retryAt;
    }
}
