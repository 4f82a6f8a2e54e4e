package enrollment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import problem.ProblemException;
import store.LuaScripts;
import store.RedisKeys;
import store.StoreBusyException;

/**
 * The gateway to the waiting lists and in-flight promotions in Redis (keys: store/RedisKeys). Every change that
 * touches more than one key is one Lua script (src/main/resources/lua/), so the limits of docs/api.md "Waiting lists"
 * hold with any number of service instances; each script is called through one private method below whose
 * parameters name what the script's ARGV holds, and which passes every key the script touches in KEYS.
 */
public final class Waitlists {

    public static final int MAX_PER_LIST = 15;
    public static final int MAX_LISTS_PER_STUDENT = 3;

    private static final RedisScript<Long> JOIN = LuaScripts.load("join-waitlist", Long.class);
    private static final RedisScript<Long> LEAVE = LuaScripts.load("leave-waitlist", Long.class);
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> BEGIN_PROMOTION = LuaScripts.load("begin-promotion", List.class);
    private static final RedisScript<Long> END_PROMOTION = LuaScripts.load("end-promotion", Long.class);
    private static final RedisScript<Long> COUNT_WAITING = LuaScripts.load("count-waiting", Long.class);
    private static final RedisScript<Long> OFFERS_CHANGED = LuaScripts.load("offers-changed", Long.class);

    /** How often a promotion is begun again when a student joined between the read of the list and the move. */
    private static final int BEGIN_ATTEMPTS = 5;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    /**
     * @param redis the Redis template
     * @param keys the key layout
     */
    public Waitlists(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

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

    /** Adds the student at the end of the list; the 1-based position, or the 409 of docs/api.md. */
    public int join(long classId, long studentId, String name) {
        return join(classId, studentId, name, null);
    }

    /**
     * Adds the student at the end of the list, waiting to swap {@code swapFor} for this class (docs/api.md "Swaps").
     *
     * @param swapFor the class they drop when a seat of this one comes, or null for an ordinary place
     * @return the 1-based position
     * @throws ProblemException 409 {@code already-waitlisted}, {@code class-full} or {@code waitlist-limit}
     */
    public int join(long classId, long studentId, String name, Long swapFor) {
        long answer = joinWaitlist(classId, studentId, name, MAX_PER_LIST, MAX_LISTS_PER_STUDENT, swapFor);
        if (answer == -1) {
            throw ProblemException.conflict("already-waitlisted",
                    "student " + studentId + " is already on the waiting list of class " + classId);
        }
        if (answer == -2) {
            throw ProblemException.conflict("class-full",
                    "class " + classId + " is full and its waiting list holds " + MAX_PER_LIST + " students");
        }
        if (answer == -3) {
            throw ProblemException.conflict("waitlist-limit",
                    "student " + studentId + " is already on " + MAX_LISTS_PER_STUDENT + " waiting lists");
        }
        return (int) answer;
    }

    /** Takes the student off the list; false when they were not on it. */
    public boolean leave(long classId, long studentId) {
        return leaveWaitlist(classId, studentId) == 1;
    }

    /** The 1-based position of the student, or 0 when not on the list. */
    public int position(long classId, long studentId) {
        Long rank = redis.opsForZSet().rank(keys.waitlist(classId), id(studentId));
        return rank == null ? 0 : rank.intValue() + 1;
    }

    /**
     * Whether nobody waits for a seat of the class: its list is empty and no promotion from it is under way. Only
     * then may a newcomer take a free seat (docs/api.md: while anyone waits, a newcomer joins the list behind them).
     */
    public boolean nobodyWaiting(long classId) {
        return redis.execute(COUNT_WAITING, List.of(keys.waitlist(classId), keys.promoting(classId))) == 0;
    }

    /** @return how many students the class's list holds */
    public int size(long classId) {
        Long size = redis.opsForZSet().zCard(keys.waitlist(classId));
        return size == null ? 0 : size.intValue();
    }

    /** The lengths of several lists in one pipelined round trip, in the order of the ids. */
    public List<Integer> sizes(List<Long> classIds) {
        List<Object> sizes = redis.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
            classIds.forEach(id -> c.zSetCommands().zCard(keys.waitlist(id).getBytes(StandardCharsets.UTF_8)));
            return null;
        });
        return sizes.stream().map(size -> ((Number) size).intValue()).toList();
    }

    /** The students waiting, first in line first. */
    public List<Long> students(long classId) {
        Set<String> members = redis.opsForZSet().range(keys.waitlist(classId), 0, -1);
        return members == null ? List.of() : members.stream().map(Long::parseLong).toList();
    }

    /**
     * @param classId a class
     * @param studentId a student on its list (or being promoted from it)
     * @return the class they drop when they take this one (a swap), or null when they wait for an ordinary seat
     */
    public Long swapFor(long classId, long studentId) {
        Object dropping = redis.opsForHash().get(keys.swaps(classId), id(studentId));
        return dropping == null ? null : Long.parseLong(dropping.toString());
    }

    /**
     * @param studentId the student
     * @return the name they joined a list under, or "" when they never did
     */
    public String name(long studentId) {
        Object name = redis.opsForHash().get(keys.studentNames(), id(studentId));
        return name == null ? "" : name.toString();
    }

    /** The classes whose lists the student is on. */
    public List<Long> classesOf(long studentId) {
        Set<String> members = redis.opsForSet().members(keys.listsOf(studentId));
        return members == null ? List.of() : members.stream().map(Long::parseLong).sorted().toList();
    }

    /** The classes that have a non-empty waiting list (unfreezing fills them). */
    public List<Long> classesWithStudentsWaiting() {
        Set<String> members = redis.opsForSet().members(keys.classesWaiting());
        return members == null ? List.of() : members.stream().map(Long::parseLong).sorted().toList();
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
                    students(classId));
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

    /** Empties a removed class's list; the students' list counts drop with it. */
    public List<Long> clear(long classId) {
        List<Long> waiting = students(classId);
        for (long studentId : waiting) {
            leave(classId, studentId);
        }
        return waiting;
    }

    private Promotion promotion(long classId, long studentId) {
        return new Promotion(classId, studentId, name(studentId), swapFor(classId, studentId));
    }

    private void end(Promotion promotion, String outcome) {
        endPromotion(promotion.classId(), promotion.studentId(), outcome);
    }

    /**
     * The class's open offers changed (made, accepted, declined, lapsed; enrollment/Offers): the instructor's list,
     * which shows them, gets a new version and Last-Modified, as a change of the list itself does.
     *
     * @param classId the class
     */
    public void offersChanged(long classId) {
        redis.execute(OFFERS_CHANGED, keys.waitlistChange(classId), now());
    }

    /**
     * Records that the student has a hold (promotions pass them over, they keep their place); a copy kept beside the
     * lists of what the DynamoDB hold rows say (enrollment/Registrations).
     *
     * @param studentId the student
     */
    public void markHeld(long studentId) {
        redis.opsForSet().add(keys.heldStudents(), id(studentId));
    }

    /**
     * The student's hold is lifted: promotions take them in their turn again.
     *
     * @param studentId the student
     */
    public void unmarkHeld(long studentId) {
        redis.opsForSet().remove(keys.heldStudents(), id(studentId));
    }

    /** join-waitlist.lua: -1 already waitlisted, -2 list full, -3 too many lists, else the 1-based position. */
    private long joinWaitlist(long classId, long studentId, String name, int maxPerList, int maxListsPerStudent,
                              Long swapFor) {
        return redis.execute(JOIN, withWaitlistChange(classId, keys.waitlist(classId), keys.listsOf(studentId),
                        keys.arrivals(), keys.classesWaiting(), keys.studentNames(), keys.swaps(classId)),
                id(studentId), id(classId), Integer.toString(maxPerList), Integer.toString(maxListsPerStudent), name,
                now(), swapFor == null ? "" : id(swapFor));
    }

    /** leave-waitlist.lua: 1 when the student was on the list, else 0. */
    private long leaveWaitlist(long classId, long studentId) {
        return redis.execute(LEAVE, withWaitlistChange(classId, keys.waitlist(classId), keys.listsOf(studentId),
                keys.classesWaiting(), keys.swaps(classId)), id(studentId), id(classId), now());
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
        List<String> scriptKeys = withWaitlistChange(classId, keys.waitlist(classId), keys.promoting(classId),
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
        return redis.execute(END_PROMOTION, withWaitlistChange(classId, keys.promoting(classId),
                keys.classesPromoting(), keys.waitlist(classId), keys.listsOf(studentId), keys.classesWaiting(),
                keys.swaps(classId)),
                id(studentId), id(classId), outcome, now());
    }

    /** A script's keys followed by the keys of the conditional-GET bookkeeping ({@link RedisKeys#waitlistChange}). */
    private List<String> withWaitlistChange(long classId, String... scriptKeys) {
        List<String> all = new ArrayList<>(List.of(scriptKeys));
        all.addAll(keys.waitlistChange(classId));
        return all;
    }

    /** Now, milliseconds since the epoch as a script argument: the clock the answers' Date is read from too. */
    static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    private static String id(long id) {
        return Long.toString(id);
    }
}
