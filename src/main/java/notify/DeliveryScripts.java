package notify;

import java.time.Duration;
import java.util.List;
import json.Json;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import store.LuaScripts;
import store.RedisKeys;

/**
 * The delivery state's Lua scripts (src/main/resources/lua/), one typed method each: the keys and arguments each
 * script reads by position (its header lists them) are put in order here and nowhere else. Each call is one atomic
 * step of Redis, shared by every instance.
 */
final class DeliveryScripts {

    /** What begin-attempt.lua decided. */
    enum Begun {
        /** the attempt is counted and leased: go ahead */
        GO,
        /** the delivery already succeeded */
        DELIVERED,
        /** another consumer is attempting it at this moment */
        BUSY,
        /** its target's circuit is open (or being probed): postponed to when the circuit lets a probe through */
        OPEN
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> CLAIM = LuaScripts.load("claim-due-deliveries", List.class);
    private static final RedisScript<Long> ACCEPT = LuaScripts.load("accept-delivery", Long.class);
    private static final RedisScript<String> BEGIN = LuaScripts.load("begin-attempt", String.class);
    private static final RedisScript<Object> SUCCEEDED = LuaScripts.load("attempt-succeeded", Object.class);
    private static final RedisScript<Object> FAILED = LuaScripts.load("attempt-failed", Object.class);
    private static final RedisScript<Object> PARK = LuaScripts.load("park-delivery", Object.class);
    private static final RedisScript<Long> UNPARK = LuaScripts.load("unpark-deliveries", Long.class);
    private static final RedisScript<Long> REPLAY = LuaScripts.load("replay-dead-letter", Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    DeliveryScripts(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * accept-delivery.lua: the delivery becomes pending, due one lease from now, unless it already succeeded or is
     * already pending.
     *
     * @return true when it was taken in now
     */
    boolean accept(Delivery delivery, Duration lease, long nowMillis) {
        Long taken = redis.execute(ACCEPT, List.of(keys.delivered(delivery.id()), keys.deliveries(),
                keys.retrySchedule()), delivery.id(), Json.write(delivery), millis(lease), Long.toString(nowMillis));
        return taken != null && taken == 1L;
    }

    /**
     * begin-attempt.lua: counts and leases the attempt, unless the delivery succeeded, is being attempted, or its
     * target's circuit is open.
     *
     * @param attempt the delivery with this attempt counted
     * @param spread a number in [0, 1) that spreads the deliveries an open circuit postpones (Lua has no randomness)
     */
    Begun beginAttempt(Delivery attempt, Duration lease, long nowMillis, Circuit circuit, double spread) {
        String target = attempt.destination();
        String answer = redis.execute(BEGIN, List.of(keys.delivered(attempt.id()), keys.attempting(attempt.id()),
                        keys.deliveries(), keys.retrySchedule(), keys.circuit(target), keys.circuitProbe(target)),
                attempt.id(), Json.write(attempt), millis(lease), Long.toString(nowMillis),
                Integer.toString(Circuit.FAILURES_TO_OPEN), Double.toString(spread),
                millis(circuit.openFor().dividedBy(5)), millis(Circuit.PROBE_LEASE), millis(circuit.openFor()));
        return Begun.valueOf(answer.toUpperCase(java.util.Locale.ROOT));
    }

    /** attempt-succeeded.lua: the delivered marker (kept {@code remembered}), the delivery forgotten, circuit closed. */
    void attemptSucceeded(Delivery delivery, Duration remembered) {
        String target = delivery.destination();
        redis.execute(SUCCEEDED, List.of(keys.delivered(delivery.id()), keys.attempting(delivery.id()),
                keys.deliveries(), keys.retrySchedule(), keys.circuit(target), keys.circuitProbe(target)),
                delivery.id(), Long.toString(remembered.toSeconds()));
    }

    /**
     * attempt-failed.lua: the delivery due again at {@code dueAtMillis}, the failure counted towards opening its
     * target's circuit.
     */
    void attemptFailed(Delivery delivery, long dueAtMillis, long nowMillis, Circuit circuit) {
        String target = delivery.destination();
        redis.execute(FAILED, List.of(keys.attempting(delivery.id()), keys.deliveries(), keys.retrySchedule(),
                        keys.circuit(target), keys.circuitProbe(target)), delivery.id(), Json.write(delivery),
                Long.toString(dueAtMillis), Long.toString(nowMillis), Integer.toString(Circuit.FAILURES_TO_OPEN),
                millis(circuit.openFor()), Long.toString(Circuit.MEMORY.toSeconds()));
    }

    /**
     * park-delivery.lua: the delivery waits in its target's parking, and in the schedule {@code safetyDelay} later.
     *
     * @param kept how long a parking nobody touches is kept
     */
    void park(Delivery delivery, long nowMillis, Duration safetyDelay, Duration kept) {
        redis.execute(PARK, List.of(keys.retrySchedule(), keys.parked(delivery.destination())), delivery.id(),
                Long.toString(nowMillis), millis(safetyDelay), Long.toString(kept.toSeconds()));
    }

    /** unpark-deliveries.lua: up to {@code count} of the target's parked deliveries due now, oldest first. */
    long unpark(String target, int count, long nowMillis) {
        Long released = redis.execute(UNPARK, List.of(keys.parked(target), keys.retrySchedule()),
                Integer.toString(count), Long.toString(nowMillis));
        return released == null ? 0 : released;
    }

    /** claim-due-deliveries.lua: up to {@code limit} due delivery ids, each pushed back by a lease. */
    @SuppressWarnings("unchecked")
    List<String> claimDue(long nowMillis, Duration lease, int limit) {
        List<String> ids = redis.execute(CLAIM, List.of(keys.retrySchedule()), Long.toString(nowMillis),
                millis(lease), Integer.toString(limit));
        return ids == null ? List.of() : ids;
    }

    /**
     * replay-dead-letter.lua: the dead letter, if it is still {@code storedLetter}, becomes {@code delivery}, pending
     * and due now.
     *
     * @return true when this call replayed it
     */
    boolean replay(String id, String storedLetter, Delivery delivery, long nowMillis) {
        Long replayed = redis.execute(REPLAY, List.of(keys.deadLetters(), keys.deliveries(), keys.retrySchedule()),
                id, storedLetter, Json.write(delivery), Long.toString(nowMillis));
        return replayed != null && replayed == 1L;
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
