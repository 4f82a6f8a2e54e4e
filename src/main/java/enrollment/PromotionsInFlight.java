package enrollment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import store.LuaScripts;
import store.RedisKeys;
import store.StoreBusyException;
import static store.LuaScripts.id;
import static store.LuaScripts.now;

/**
 * The gateway to the promotions in flight in Redis (keys: store/RedisKeys): a student taken off a waiting list
 * ({@link Waitlists}) to be seated, until the seat is stored (commit), refused (restore: back to their place) or its
 * class removed (discard). Each move between the list and the in-flight entries is one Lua script
 * (src/main/resources/lua/), called through one private method below whose parameters name what the script's ARGV
 * holds, and which passes every key the script touches in KEYS.
 */
public final class PromotionsInFlight {

    /**
     * A student waiting for a seat, about to be enrolled by a promotion.
     *
     * @param swapFor the class they drop when they take this one (docs/api.md "Swaps"), or null
     */
    public record Promotion(long classId, long studentId, String name, Long swapFor) {

        /** A promotion without a swap. */
        public Promotion(long classId, long studentId, String name) {
            this(classId, studentId, name, null);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> BEGIN_PROMOTION = LuaScripts.load("begin-promotion", List.class);
    private static final RedisScript<Long> END_PROMOTION = LuaScripts.load("end-promotion", Long.class);

    /** How often a promotion is begun again when a student joined between the read of the list and the move. */
    private static final int BEGIN_ATTEMPTS = 5;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Waitlists waitlists;

    /**
     * @param redis the Redis template
     * @param keys the key layout
     * @param waitlists the lists the promotions take their students from (read for who waits, their names and swaps)
     */
    public PromotionsInFlight(StringRedisTemplate redis, RedisKeys keys, Waitlists waitlists) {
        this.redis = redis;
        this.keys = keys;
        this.waitlists = waitlists;
    }

    /**
     * Takes the first student without a hold off the list into the in-flight promotions, if the caller still holds
     * the class's promotion turn (and renews its lease). A student with a hold keeps their place.
     *
     * @param turn the caller's turn (routes/AutoEnrollmentRoutes takes it from {@link PromotionRequests#take})
     * @param passedOver students this turn passed over (they failed the registration rules for the class): they keep
     *                   their place, and the next student is moved
     * @return the promotion begun; null when nobody without a hold or passed over waits or the turn was lost (another
     *         instance holds it now)
     * @throws StoreBusyException when students kept joining ahead of every read of the list (the request stays)
     */
    public Promotion beginPromotion(PromotionRequests.Turn turn, Set<Long> passedOver) {
        long classId = turn.classId();
        // the script must be given the lists-of-student key of whoever it moves: the students are read first, and
        // read again in the rare case that the one to move joined in between
        for (int attempt = 1; attempt <= BEGIN_ATTEMPTS; attempt++) {
            List<Object> first = beginPromotion(classId, turn.holder(), turn.leaseMillis(), passedOver,
                    waitlists.students(classId));
            if (first == null || first.isEmpty()) {
                return null;
            }
            if (!"unread".equals(first.get(0).toString())) {
                long studentId = Long.parseLong(first.get(0).toString());
                return promotion(classId, studentId);
            }
        }
        // the promotion fails as a crash would: the request stays, and falls due again when the turn's lease lapses
        throw new StoreBusyException("the waiting list of class " + classId + " kept changing while a promotion began");
    }

    /** The promotion's enrollment is stored: forget it. */
    public void commit(Promotion promotion) {
        end(promotion, "commit");
    }

    /** The promotion could not enroll (no seat after all): the student goes back to their place in line. */
    public void restore(Promotion promotion) {
        end(promotion, "restore");
    }

    /**
     * The promotion's class was removed while it was in flight: the entry goes, and the student returns to no list
     * (the removal cleared it) and is enrolled nowhere.
     *
     * @param promotion the in-flight promotion
     */
    public void discard(Promotion promotion) {
        end(promotion, "discard");
    }

    /** Promotions begun more than {@code olderThanMillis} ago and never ended: what a crash leaves behind. */
    public List<Promotion> stalePromotions(long olderThanMillis) {
        long cutoff = System.currentTimeMillis() - olderThanMillis;
        List<Promotion> stale = new ArrayList<>();
        Set<String> classes = redis.opsForSet().members(keys.classesPromoting());
        for (String classId : classes == null ? Set.<String>of() : classes) {
            stale.addAll(inFlight(Long.parseLong(classId), cutoff));
        }
        return stale;
    }

    /**
     * The class's promotions in flight, however young. Called by the holder of the class's turn before it begins
     * any: they were begun by an earlier holder that died or lost its lease, and come first in arrival order.
     *
     * @param classId the class
     * @return its in-flight promotions, in no particular order
     */
    public List<Promotion> inFlight(long classId) {
        return inFlight(classId, Long.MAX_VALUE);
    }

    /** The class's in-flight promotions begun before {@code cutoff} (epoch ms). */
    private List<Promotion> inFlight(long classId, long cutoff) {
        List<Promotion> found = new ArrayList<>();
        Map<Object, Object> entries = redis.opsForHash().entries(keys.promoting(classId));
        entries.forEach((student, value) -> {
            long started = Long.parseLong(value.toString().substring(value.toString().indexOf(':') + 1));
            if (started < cutoff) {
                long studentId = Long.parseLong(student.toString());
                found.add(promotion(classId, studentId));
            }
        });
        return found;
    }

    private Promotion promotion(long classId, long studentId) {
        return new Promotion(classId, studentId, waitlists.name(studentId), waitlists.swapFor(classId, studentId));
    }

    private void end(Promotion promotion, String outcome) {
        endPromotion(promotion.classId(), promotion.studentId(), outcome);
    }

    /**
     * begin-promotion.lua.
     *
     * @param passedOver the students to pass over
     * @param studentsRead the students read on the list, whose lists-of-student keys the script may need
     * @return {student, arrival}; empty when nobody without a hold waits or the turn was lost; {"unread"} when
     *     the student to move is not among {@code studentsRead}
     */
    @SuppressWarnings("unchecked")
    List<Object> beginPromotion(long classId, String holder, long leaseMillis, Set<Long> passedOver,
                                List<Long> studentsRead) {
        List<String> scriptKeys = keys.withWaitlistChange(classId, keys.waitlist(classId), keys.promoting(classId),
                keys.classesPromoting(), keys.classesWaiting(), keys.promotionTurn(classId),
                keys.promotionRequests());
        scriptKeys.add(keys.heldStudents());
        List<String> args = new ArrayList<>(List.of(id(classId), now(), holder, Long.toString(leaseMillis),
                Integer.toString(passedOver.size())));
        passedOver.forEach(studentId -> args.add(id(studentId)));
        for (long studentId : studentsRead) {
            scriptKeys.add(keys.listsOf(studentId));
            args.add(id(studentId));
        }
        return redis.execute(BEGIN_PROMOTION, scriptKeys, args.toArray());
    }

    /** end-promotion.lua, {@code outcome} "commit", "restore" or "discard": 1 when this call ended it, else 0. */
    private long endPromotion(long classId, long studentId, String outcome) {
        return redis.execute(END_PROMOTION, keys.withWaitlistChange(classId, keys.promoting(classId),
                keys.classesPromoting(), keys.waitlist(classId), keys.listsOf(studentId), keys.classesWaiting(),
                keys.swaps(classId)),
                id(studentId), id(classId), outcome, now());
    }
}
