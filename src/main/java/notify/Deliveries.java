package notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import json.Json;
import org.springframework.data.redis.core.StringRedisTemplate;
import store.RedisKeys;

/**
 * The pending deliveries in Redis, shared by every instance, and the states of each (docs/architecture.md "The
 * delivery design"): taken in, attempt leased, delivered (remembered, so a redelivered message is not sent twice),
 * failed and due again, forgotten. The retry schedule (a sorted set by due time) is every pending delivery's safety
 * net: a delivery whose attempt is lost with its instance falls due when its lease ends.
 */
public class Deliveries {

    /**
     * A delivery taken in, or an attempt in progress, is held this long; if its instance dies, the schedule
     * attempts it after that. It outlives an attempt's worst case ({@link WebhookDeadline#SECONDS},
     * the mail session's time-outs) several times over, and leaves the attempt time to record its outcome while
     * Redis is briefly away ({@link #leaseHolds}).
     */
    static final Duration LEASE = Duration.ofSeconds(60);
    /**
     * An attempt stops trying to record its outcome this long before its lease ends, so that its last try (the
     * Redis client's 2 s pool wait, 2 s connect and 2 s read time-outs, after a back-off of up to 2 s) still lands
     * before another instance may take the delivery over, clocks a little apart included.
     */
    static final Duration RECORDING_MARGIN = Duration.ofSeconds(10);
    private static final Duration DELIVERED_MEMORY = Duration.ofDays(30);
    /** How long a delivery turned away by its host's ceiling waits before it is tried again. */
    static final Duration POSTPONED_BY = Duration.ofSeconds(1);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final DeliveryScripts scripts;
    private final Circuit circuit;

    /**
     * @param redis where the delivery state lives, shared by every instance
     * @param keys the key layout ({@code STORE_PREFIX})
     * @param circuit the circuit per target
     */
    public Deliveries(StringRedisTemplate redis, RedisKeys keys, Circuit circuit) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = new DeliveryScripts(redis, keys);
        this.circuit = circuit;
    }

    /**
     * Takes a delivery in from its queue, before the message is acknowledged: from then on it is pending in Redis
     * and the retry schedule attempts it if no attempt ends within {@link #LEASE}.
     *
     * @return true when the delivery is new and is to be attempted now; false when it already succeeded or is
     *         already pending (a message delivered twice)
     */
    public boolean accept(Delivery delivery) {
        return scripts.accept(delivery, LEASE, System.currentTimeMillis());
    }

    /**
     * Starts the next attempt of the delivery, or returns null when there is nothing to do now: it already
     * succeeded (a message delivered twice), another consumer is attempting it at this moment, or its
     * target's circuit is open (then it is postponed to when the circuit lets a probe through). The attempt
     * is counted and leased.
     *
     * @return the delivery with this attempt counted, or null
     */
    public Delivery begin(Delivery delivery) {
        Delivery attempt = delivery.attempted();
        DeliveryScripts.Begun begun = scripts.beginAttempt(attempt, LEASE, System.currentTimeMillis(), circuit,
                ThreadLocalRandom.current().nextDouble());
        if (begun == DeliveryScripts.Begun.DELIVERED) {
            forget(attempt);
        }
        return begun == DeliveryScripts.Begun.GO ? attempt : null;
    }

    /**
     * Whether an attempt still holds its lease with room to record its outcome. Until the lease ends no other
     * instance attempts the delivery (its attempt lock and its place in the schedule both last {@link #LEASE}), so
     * an outcome recorded by then is the only one: a success recorded in time is never followed by a second send.
     * Past it the delivery may already be another attempt's, whose state a late record would overwrite; an outcome
     * not recorded by then is left to the schedule, as if this instance had died (at-least-once).
     *
     * @param leasedAt when the attempt was begun (epoch ms, read just before {@link #begin})
     * @return true until {@link #RECORDING_MARGIN} before the lease that began at {@code leasedAt} ends
     */
    public boolean leaseHolds(long leasedAt) {
        return System.currentTimeMillis() < leasedAt + LEASE.minus(RECORDING_MARGIN).toMillis();
    }

    /**
     * Puts a pending delivery that this instance turned away because its host had its ceiling of attempts in flight
     * back into the schedule, due about {@link #POSTPONED_BY} later (±20%), without counting an attempt.
     *
     * @param delivery a delivery that is pending (taken in, or claimed from the schedule)
     */
    public void postpone(Delivery delivery) {
        // (a delivery that ends meanwhile leaves only its id here, which claimDue drops)
        redis.opsForZSet().add(keys.retrySchedule(), delivery.id(),
                System.currentTimeMillis() + RetrySchedule.jittered(POSTPONED_BY));
    }

    /** The target has it: remember that (a redelivered message is then skipped), forget the delivery, close the circuit. */
    public void delivered(Delivery delivery) {
        scripts.attemptSucceeded(delivery, DELIVERED_MEMORY);
    }

    /**
     * The attempt failed in a way worth retrying: the delivery waits for its next slot, and the failure counts
     * towards opening its target's circuit.
     *
     * @param dueAtMillis when it is due again (epoch ms), as {@link RetrySchedule#nextAttemptAt} says
     */
    public void failed(Delivery delivery, long dueAtMillis) {
        scripts.attemptFailed(delivery, dueAtMillis, System.currentTimeMillis(), circuit);
    }

    /** The delivery needs nothing more (delivered, dead-lettered, or its webhook is gone). */
    public void forget(Delivery delivery) {
        redis.opsForZSet().remove(keys.retrySchedule(), delivery.id());
        redis.opsForHash().delete(keys.deliveries(), delivery.id());
        redis.delete(keys.attempting(delivery.id()));
    }

    /**
     * Claims deliveries whose retry is due, each pushed back by a lease so that no other instance claims it at once.
     *
     * @param limit how many at most
     * @return the claimed deliveries (ids whose delivery ended meanwhile are dropped from the schedule)
     */
    public List<Delivery> claimDue(int limit) {
        List<String> ids = scripts.claimDue(System.currentTimeMillis(), LEASE, limit);
        List<Delivery> due = new ArrayList<>();
        if (ids.isEmpty()) {
            return due;
        }
        List<Object> stored = redis.opsForHash().multiGet(keys.deliveries(), new ArrayList<>(ids));
        for (int i = 0; i < ids.size(); i++) {
            if (stored.get(i) == null) {
                redis.opsForZSet().remove(keys.retrySchedule(), ids.get(i));
            } else {
                due.add(Json.read(stored.get(i).toString(), Delivery.class));
            }
        }
        return due;
    }
}
