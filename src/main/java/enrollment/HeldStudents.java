package enrollment;

import org.springframework.data.redis.core.SetOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import store.RedisKeys;
import static store.LuaScripts.id;

/**
 * The gateway to the students with a hold in Redis (key: store/RedisKeys {@code held}): a copy kept beside the
 * waiting lists of what the DynamoDB hold rows say (enrollment/Registrations), which begin-promotion.lua reads to
 * pass them over ({@link PromotionsInFlight}); they keep their place in line.
 */
public final class HeldStudents {

    private final SetOperations<String, String> sets;
    private final String held;

    /**
     * @param redis the Redis template
     * @param keys the key layout
     */
    public HeldStudents(StringRedisTemplate redis, RedisKeys keys) {
        sets = redis.opsForSet();
        held = keys.heldStudents();
    }

    /**
     * Records that the student has a hold: promotions pass them over, they keep their place.
     *
     * @param studentId the student
     */
    public void markHeld(long studentId) {
        sets.add(held, id(studentId));
    }

    /**
     * The student's hold is lifted: promotions take them in their turn again.
     *
     * @param studentId the student
     */
    public void unmarkHeld(long studentId) {
        sets.remove(held, id(studentId));
    }
}
