package enrollment;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import store.LuaScripts;
import store.RedisKeys;
import static store.LuaScripts.id;
import static store.LuaScripts.now;

/**
 * The promotion requests and the per-class promotion turns in Redis: how a freed seat reaches the background
 * promoters of every instance (routes/AutoEnrollmentRoutes) without any HTTP request waiting for it.
 *
 * <ul>
 *   <li>A <b>request</b> ({@link #request}) marks a class whose free seats are to be filled from its waiting list:
 *       a member of the sorted set {@code promotion-requests}, scored by when it is due (epoch ms), with a version
 *       in the hash {@code promotion-request-versions} counting the requests made since the last fulfilled one.</li>
 *   <li>A <b>turn</b> ({@link #take}) lets one holder at a time promote a class's students, so they move in arrival
 *       order. It is a lease: key {@code promote-turn:<class>} holds the holder's random token and lapses after
 *       {@code promotion.lease} ms unless the holder renews it at every step (begin-promotion.lua fences on the
 *       token). While a turn runs its request is not due; when the holder dies, the request falls due as the lease
 *       lapses, and any live instance's poller takes over.</li>
 *   <li>A holder <b>concludes</b> ({@link #conclude}) after each pass: the request and the turn go together when no
 *       request came meanwhile; otherwise it makes another pass. A request is removed only this way, so neither a
 *       crash nor a request made during a pass is lost.</li>
 * </ul>
 */
public final class PromotionRequests {

    private static final RedisScript<Long> REQUEST = LuaScripts.load("request-promotion", Long.class);
    private static final RedisScript<Long> TAKE = LuaScripts.load("take-promotion-turn", Long.class);
    private static final RedisScript<Long> CONCLUDE = LuaScripts.load("end-promotion-turn", Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    /**
     * @param redis the Redis template
     * @param keys the key layout
     */
    public PromotionRequests(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * A held turn: the class, the holder's token, the version of the request it serves and the lease it renews.
     *
     * @param classId the class
     * @param holder the holder's token (random, one per turn taken)
     * @param version the request version the current pass serves
     * @param leaseMillis how long the turn lasts after each renewal (ms)
     */
    public record Turn(long classId, String holder, long version, long leaseMillis) {
    }

    /**
     * Asks for the class's free seats to be filled from its waiting list, when anyone waits (on the list or in a
     * promotion in flight). Cheap (one script): the drop's answer waits for this, not for the promotion.
     *
     * @param classId the class
     * @return true when a promotion was requested, false when nobody waits
     */
    public boolean request(long classId) {
        return redis.execute(REQUEST, List.of(keys.promotionRequests(), keys.promotionRequestVersions(),
                        keys.promotionTurn(classId), keys.waitlist(classId), keys.promoting(classId)),
                id(classId), now()) == 1;
    }

    /**
     * @param max how many to return at most
     * @return the classes whose requests are due: new ones, and those whose holder's lease lapsed
     */
    public List<Long> due(int max) {
        Set<String> due = redis.opsForZSet().rangeByScore(keys.promotionRequests(), 0,
                System.currentTimeMillis(), 0, max);
        return due == null ? List.of() : due.stream().map(Long::parseLong).toList();
    }

    /**
     * Takes the class's turn, when a promotion is requested and no other holder's lease runs.
     *
     * @param classId the class
     * @param leaseMillis how long the turn lasts unless renewed (ms)
     * @return the turn, or null when nothing is requested or another instance holds the turn
     */
    public Turn take(long classId, long leaseMillis) {
        String holder = UUID.randomUUID().toString();
        Long version = takePromotionTurn(classId, holder, leaseMillis);
        return version == null ? null : new Turn(classId, holder, version, leaseMillis);
    }

    /**
     * Ends a pass of the turn's holder.
     *
     * @param turn the turn the pass ran under
     * @return the turn for another pass (a request came during this one; the lease is renewed), or null when the
     *         request is fulfilled and the turn given back, or when the turn was lost to another instance
     */
    public Turn conclude(Turn turn) {
        long answer = endPromotionTurn(turn.classId(), turn.holder(), turn.version(), turn.leaseMillis());
        return answer > 0 ? new Turn(turn.classId(), turn.holder(), answer, turn.leaseMillis()) : null;
    }

    /** take-promotion-turn.lua: the version of the request now held, or null when not taken. */
    private Long takePromotionTurn(long classId, String holder, long leaseMillis) {
        return redis.execute(TAKE, turnKeys(classId), id(classId), holder, Long.toString(leaseMillis), now());
    }

    /** end-promotion-turn.lua: 0 fulfilled and given back, the newer version for another pass, -1 turn lost. */
    private long endPromotionTurn(long classId, String holder, long version, long leaseMillis) {
        return redis.execute(CONCLUDE, turnKeys(classId), id(classId), holder, Long.toString(version),
                Long.toString(leaseMillis), now());
    }

    private List<String> turnKeys(long classId) {
        return List.of(keys.promotionRequests(), keys.promotionRequestVersions(), keys.promotionTurn(classId));
    }
}
