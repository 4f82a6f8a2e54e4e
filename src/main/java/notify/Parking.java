package notify;

import org.springframework.data.redis.core.StringRedisTemplate;
import store.RedisKeys;

/**
 * Each target's parking in Redis (docs/architecture.md "Delivery isolation"): the deliveries this instance turned
 * away because their target does not answer quickly and has an attempt in flight ({@link Destinations}) wait there,
 * not in the pool, until an attempt to the target ends and lets them out.
 */
public class Parking {

    private final DeliveryScripts scripts;

    /**
     * @param redis where the parkings live, shared by every instance
     * @param keys the key layout
     */
    public Parking(StringRedisTemplate redis, RedisKeys keys) {
        this.scripts = new DeliveryScripts(redis, keys);
    }

    /**
     * Parks a pending delivery without attempting it or counting an attempt: it waits in its target's parking until
     * an attempt to that target ends ({@link #unpark}), or {@link Deliveries#LEASE} at the latest.
     *
     * @param delivery a delivery that is pending (taken in, or claimed from the schedule)
     */
    public void park(Delivery delivery) {
        scripts.park(delivery, System.currentTimeMillis(), Deliveries.LEASE, Circuit.MEMORY);
    }

    /**
     * Lets a target's parked deliveries out, oldest first, due now.
     *
     * @param target as {@link Delivery#destination()}
     * @param count how many at most
     * @return how many were let out
     */
    public long unpark(String target, int count) {
        return scripts.unpark(target, count, System.currentTimeMillis());
    }
}
