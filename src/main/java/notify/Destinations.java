package notify;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Which attempts this instance lets through to one destination (a webhook origin, or the mail relay). A
 * destination that answered an attempt within {@link #QUICK_MILLIS} in the last {@link #QUICK_MILLIS} may have up
 * to {@code cap} attempts in flight, and an attempt beyond that waits briefly for one of them to end (they end
 * quickly). Any other destination, new, slow or hanging, has one attempt at a time, and the others are turned
 * away at once, to be parked until that attempt ends ({@link Deliveries#park}): so a hanging destination holds one thread of the attempt pool however many
 * deliveries it has, and the rest of the pool serves everyone else. (TCP's slow start, RFC 5681, applied to
 * concurrency.) Camel's Throttle EIP in ConcurrentRequests mode either waits or rejects, for every key alike; here
 * the choice depends on the destination's answers, so route attempt-delivery asks this class instead.
 */
public final class Destinations {

    /** An answer within this time counts as quick, and a quick answer keeps counting for this long (ms). */
    static final long QUICK_MILLIS = 2_000;
    /** How long an attempt to a quick destination waits for a turn before it is postponed instead (ms). */
    static final long TURN_WAIT_MILLIS = 500;

    /** How many parked deliveries a quick answer lets out at once. */
    static final int RELEASED_AFTER_QUICK_ANSWER = 500;

    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();

    /**
     * Lets the exchange's attempt through, or not; a permit it gets is returned when the exchange completes.
     *
     * @param exchange whose body is the {@link Delivery} to attempt
     * @param cap the most attempts in flight to a destination that answers quickly
     * @return true when the attempt may go ahead now; false when it is to be postponed
     */
    public boolean admit(Exchange exchange, int cap) {
        String destination = exchange.getMessage().getBody(Delivery.class).destination();
        Gate gate = gates.computeIfAbsent(destination, key -> new Gate(cap));
        if (!gate.enter()) {
            return false;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                gate.permits.release();
            }
        });
        return true;
    }

    /**
     * Whether an attempt to this destination would be turned away now (it does not answer quickly and has an
     * attempt of this instance in flight), so its delivery can be parked at once instead of queueing for the pool.
     *
     * @param destination as {@link Delivery#destination()}
     */
    public boolean wouldTurnAway(String destination) {
        Gate gate = gates.get(destination);
        return gate != null && !gate.quick() && gate.permits.availablePermits() < gate.cap;
    }

    /**
     * Records an attempt that ended (delivered or not), and says how many of the destination's parked deliveries
     * may come back now: after a quick answer, up to {@link #RELEASED_AFTER_QUICK_ANSWER} (they will find turns);
     * otherwise one, the next in line for the destination's single turn.
     *
     * @param destination as {@link Delivery#destination()}
     * @param startedAtMillis when the attempt started (epoch ms)
     * @return how many parked deliveries to let out
     */
    public int ended(String destination, long startedAtMillis) {
        long now = System.currentTimeMillis();
        if (now - startedAtMillis > QUICK_MILLIS) {
            return 1;
        }
        Gate gate = gates.get(destination);
        if (gate != null) {
            gate.lastQuickAnswer = now;
        }
        return RELEASED_AFTER_QUICK_ANSWER;
    }

    private static final class Gate {

        final int cap;
        final Semaphore permits;
        volatile long lastQuickAnswer;

        Gate(int cap) {
            this.cap = cap;
            this.permits = new Semaphore(cap);
        }

        boolean quick() {
            return System.currentTimeMillis() - lastQuickAnswer <= QUICK_MILLIS;
        }

        boolean enter() {
            if (quick()) {
                try {
                    return permits.tryAcquire(TURN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            synchronized (this) {
                return permits.availablePermits() == cap && permits.tryAcquire();
            }
        }
    }
}
