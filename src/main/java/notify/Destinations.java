package notify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Which attempts this instance lets through, per target (a webhook's callback URL, or the mail relay) and per host
 * (a webhook target's origin).
 *
 * <p><b>Per target: slow start.</b> A target that answered an attempt within {@link #QUICK_MILLIS} in the last
 * {@link #QUICK_MILLIS} may have up to {@code cap} attempts in flight, and an attempt beyond that waits briefly
 * for one of them to end (they end quickly). Any other target, new, slow or hanging, has one attempt at a time,
 * and its other deliveries are turned away at once, to be parked until that attempt ends ({@link Parking#park}):
 * a hanging target holds one thread of the attempt pool however many deliveries it has. (TCP's slow start, RFC
 * 5681, applied to concurrency.)
 *
 * <p><b>Per host: a ceiling.</b> At most {@code WEBHOOK_MAX_PER_HOST} attempts of this instance are in flight to
 * one origin, whichever of its targets they are for; an attempt that finds the host full waits briefly, then is
 * postponed ({@link Deliveries#postpone}). An attempt that has had no answer for {@link #QUICK_MILLIS} stops
 * counting against its host's ceiling: its target is slow or hanging and holds only its own one attempt, so the
 * ceiling left to the host's other targets never shrinks because some of them hang.
 *
 * <p>Camel's Throttle EIP in ConcurrentRequests mode either waits or rejects, for every key alike; here the choice
 * depends on the target's answers, so route attempt-delivery asks this class instead. Targets and hosts unused for
 * {@link #FORGET_AFTER} are forgotten (there may be many thousands of targets).
 */
public class Destinations {

    /** An answer within this time counts as quick, and a quick answer keeps counting for this long (ms). */
    static final long QUICK_MILLIS = 2_000;
    /** How long an attempt waits for a turn (its quick target's, or its host's) before it is turned away (ms). */
    static final long TURN_WAIT_MILLIS = 500;
    /** How many parked deliveries a quick answer lets out at once. */
    static final int RELEASED_AFTER_QUICK_ANSWER = 500;
    /** How long a target or host nobody attempted is remembered: far longer than any attempt (15 s). */
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    /** What {@link #admit} decided for an attempt. */
    public enum Admission {
        /** attempt it now */
        GO,
        /** its target is not quick and has an attempt in flight: park it until that attempt ends */
        PARK,
        /** its host has its ceiling of attempts in flight: postpone it a little */
        POSTPONE
    }

    private final Cache<String, Gate> targets = Caffeine.newBuilder().expireAfterAccess(FORGET_AFTER).build();
    private final Cache<String, Host> hosts = Caffeine.newBuilder().expireAfterAccess(FORGET_AFTER).build();
    private final int hostCeiling;

    /**
     * @param hostCeiling the most attempts of this instance in flight to one host that count against it
     *        ({@code WEBHOOK_MAX_PER_HOST}, at least 1)
     */
    public Destinations(int hostCeiling) {
        this.hostCeiling = hostCeiling;
    }

    /**
     * Lets the exchange's attempt through, or not; the turns it gets are given back when the exchange completes.
     *
     * @param exchange whose body is the {@link Delivery} to attempt
     * @param cap the most attempts in flight to a target that answers quickly
     * @return {@link Admission#GO} when the attempt may go ahead now, else what to do with the delivery instead
     */
    public Admission admit(Exchange exchange, int cap) {
        Delivery delivery = exchange.getMessage().getBody(Delivery.class);
        Gate gate = targets.get(delivery.destination(), key -> new Gate(cap));
        if (!gate.enter()) {
            gate.lastParked = System.currentTimeMillis();
            return Admission.PARK;
        }
        String origin = delivery.host();
        Host host = origin == null ? null : hosts.get(origin, key -> new Host(hostCeiling));
        Host.Turn turn = host == null ? null : host.enter();
        if (host != null && turn == null) {
            gate.permits.release();
            return Admission.POSTPONE;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                gate.permits.release();
                if (turn != null) {
                    host.leave(turn);
                }
            }
        });
        return Admission.GO;
    }

    /**
     * Whether an attempt to this target would be turned away now (it does not answer quickly and has an attempt
     * of this instance in flight), so its delivery can be parked at once instead of queueing for the pool; if so,
     * the target is remembered as having deliveries parked by this instance.
     *
     * @param target as {@link Delivery#destination()}
     */
    public boolean wouldTurnAway(String target) {
        Gate gate = targets.getIfPresent(target);
        boolean turnedAway = gate != null && !gate.quick() && gate.permits.availablePermits() < gate.cap;
        if (turnedAway) {
            gate.lastParked = System.currentTimeMillis();
        }
        return turnedAway;
    }

    /**
     * Records an attempt that ended (delivered or not), and says how many of the target's parked deliveries may
     * come back now: none when this instance parked none for it within {@link Deliveries#LEASE} (an instance parks
     * a target's deliveries only while it has an attempt to it in flight, whose end lets them out, and a parked
     * delivery comes back on the schedule after a lease anyway: so the common case costs no Redis call); after a
     * quick answer, up to {@link #RELEASED_AFTER_QUICK_ANSWER} (they will find turns); otherwise one, the next in
     * line for the target's single turn.
     *
     * @param target as {@link Delivery#destination()}
     * @param startedAtMillis when the attempt started (epoch ms)
     * @return how many parked deliveries to let out, 0 for none
     */
    public int ended(String target, long startedAtMillis) {
        long now = System.currentTimeMillis();
        Gate gate = targets.getIfPresent(target);
        boolean quick = now - startedAtMillis <= QUICK_MILLIS;
        if (gate != null && quick) {
            gate.lastQuickAnswer = now;
        }
        if (gate != null && now - gate.lastParked > Deliveries.LEASE.toMillis()) {
            return 0;
        }
        return quick ? RELEASED_AFTER_QUICK_ANSWER : 1;
    }

    /** One target's turns. */
    private static final class Gate {

        final int cap;
        final Semaphore permits;
        volatile long lastQuickAnswer;
        /** When this instance last parked one of the target's deliveries (epoch ms). */
        volatile long lastParked;

        Gate(int cap) {
            this.cap = cap;
            this.permits = new Semaphore(cap);
        }

        boolean quick() {
            return System.currentTimeMillis() - lastQuickAnswer <= QUICK_MILLIS;
        }

        boolean enter() {
            if (quick()) {
                return waitFor(permits);
            }
            synchronized (this) {
                return permits.availablePermits() == cap && permits.tryAcquire();
            }
        }
    }

    /** One host's ceiling, and the attempts counting against it. */
    private static final class Host {

        /** An attempt in flight that holds one of the host's permits until it ends or has waited too long. */
        static final class Turn {
            final long startedAt = System.currentTimeMillis();
            final AtomicBoolean holding = new AtomicBoolean(true);
        }

        final Semaphore permits;
        final Set<Turn> inFlight = ConcurrentHashMap.newKeySet();

        Host(int ceiling) {
            this.permits = new Semaphore(ceiling);
        }

        /** A turn, or null when the host stays full for {@link #TURN_WAIT_MILLIS}. */
        Turn enter() {
            if (!permits.tryAcquire()) {
                releaseUnanswered();
                if (!waitFor(permits)) {
                    return null;
                }
            }
            Turn turn = new Turn();
            inFlight.add(turn);
            return turn;
        }

        void leave(Turn turn) {
            inFlight.remove(turn);
            if (turn.holding.compareAndSet(true, false)) {
                permits.release();
            }
        }

        /** Attempts unanswered for {@link #QUICK_MILLIS} give their permits back (they stay in flight). */
        private void releaseUnanswered() {
            long now = System.currentTimeMillis();
            for (Turn turn : inFlight) {
                if (now - turn.startedAt > QUICK_MILLIS && turn.holding.compareAndSet(true, false)) {
                    inFlight.remove(turn);
                    permits.release();
                }
            }
        }
    }

    private static boolean waitFor(Semaphore permits) {
        try {
            return permits.tryAcquire(TURN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
