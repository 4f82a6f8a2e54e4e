package notify;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many attempts this instance lets one destination (a webhook origin, or the mail relay) have in flight:
 * {@code cap} while it answers quickly, one while it does not. A destination earns parallel attempts by having
 * answered an attempt within {@link #QUICK_MILLIS} in the last {@link #QUICK_MILLIS}; a new one, a slow one and
 * one that hangs get one attempt at a time, so a hanging destination holds one thread of the attempt pool however
 * many deliveries it has, and the rest of the pool serves everyone else. (The idea of TCP's slow start, RFC 5681,
 * applied to concurrency.) Read by the throttle of route attempt-delivery as its limit per destination.
 */
public final class Destinations {

    /** An answer within this time counts as quick, and a quick answer keeps counting for this long (ms). */
    static final long QUICK_MILLIS = 2_000;

    /** destination → when it last answered an attempt quickly (epoch ms). */
    private final ConcurrentHashMap<String, Long> lastQuickAnswer = new ConcurrentHashMap<>();

    /**
     * @param destination as {@link Delivery#destination()}
     * @param cap the most attempts in flight to one destination that answers quickly
     * @return how many attempts to it may be in flight now: {@code cap}, or 1
     */
    public int inFlightAllowed(String destination, int cap) {
        Long quick = lastQuickAnswer.get(destination);
        return quick != null && System.currentTimeMillis() - quick <= QUICK_MILLIS ? cap : 1;
    }

    /**
     * Records an attempt that ended (delivered or not).
     *
     * @param destination as {@link Delivery#destination()}
     * @param startedAtMillis when the attempt started (epoch ms)
     */
    public void attempted(String destination, long startedAtMillis) {
        long now = System.currentTimeMillis();
        if (now - startedAtMillis <= QUICK_MILLIS) {
            lastQuickAnswer.put(destination, now);
        }
    }
}
