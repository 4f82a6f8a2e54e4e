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

/**
 * The waiting lists in Redis. Every change that touches more than one key is one Lua script (src/main/resources
 * lua/), so the limits of docs/api.md hold with any number of service instances.
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

    private final StringRedisTemplate redis;
    private final String prefix;

    public Waitlists(StringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** A student waiting for a seat, about to be enrolled by a promotion. */
    public record Promotion(long classId, long studentId, String name) {
    }

    /** Adds the student at the end of the list; the 1-based position, or the 409 of docs/api.md. */
    public int join(long classId, long studentId, String name) {
        long answer = redis.execute(JOIN, withViewKeys(classId, list(classId), studentLists(studentId),
                        key("wl-seq"), classesWithList(), key("names")), id(studentId), id(classId),
                Integer.toString(MAX_PER_LIST), Integer.toString(MAX_LISTS_PER_STUDENT), name, now());
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
        return redis.execute(LEAVE, withViewKeys(classId, list(classId), studentLists(studentId), classesWithList()),
                id(studentId), id(classId), now()) == 1;
    }

    /** The 1-based position of the student, or 0 when not on the list. */
    public int position(long classId, long studentId) {
        Long rank = redis.opsForZSet().rank(list(classId), id(studentId));
        return rank == null ? 0 : rank.intValue() + 1;
    }

    /**
     * Whether nobody waits for a seat of the class: its list is empty and no promotion from it is under way. Only
     * then may a newcomer take a free seat (docs/api.md: while anyone waits, a newcomer joins the list behind them).
     */
    public boolean nobodyWaiting(long classId) {
        return redis.execute(COUNT_WAITING, List.of(list(classId), promoting(classId))) == 0;
    }

    public int size(long classId) {
        Long size = redis.opsForZSet().zCard(list(classId));
        return size == null ? 0 : size.intValue();
    }

    /** The lengths of several lists in one pipelined round trip, in the order of the ids. */
    public List<Integer> sizes(List<Long> classIds) {
        List<Object> sizes = redis.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
            classIds.forEach(id -> c.zSetCommands().zCard(list(id).getBytes(StandardCharsets.UTF_8)));
            return null;
        });
        return sizes.stream().map(size -> ((Number) size).intValue()).toList();
    }

    /** The students waiting, first in line first. */
    public List<Long> students(long classId) {
        Set<String> members = redis.opsForZSet().range(list(classId), 0, -1);
        return members == null ? List.of() : members.stream().map(Long::parseLong).toList();
    }

    public String name(long studentId) {
        Object name = redis.opsForHash().get(key("names"), id(studentId));
        return name == null ? "" : name.toString();
    }

    /** The classes whose lists the student is on. */
    public List<Long> classesOf(long studentId) {
        Set<String> members = redis.opsForSet().members(studentLists(studentId));
        return members == null ? List.of() : members.stream().map(Long::parseLong).sorted().toList();
    }

    /** The classes that have a non-empty waiting list (unfreezing fills them). */
    public List<Long> classesWithStudentsWaiting() {
        Set<String> members = redis.opsForSet().members(classesWithList());
        return members == null ? List.of() : members.stream().map(Long::parseLong).sorted().toList();
    }

    /**
     * Takes the first student without a hold off the list into the in-flight promotions, if the caller still holds
     * the class's promotion turn (and renews its lease). A student with a hold keeps their place.
     *
     * @param turn the caller's turn (routes/AutoEnrollmentRoutes takes it from {@link PromotionRequests#take})
     * @return the promotion begun; null when nobody without a hold waits or the turn was lost (another instance holds it now)
     */
    @SuppressWarnings("unchecked")
    public Promotion beginPromotion(PromotionRequests.Turn turn) {
        long classId = turn.classId();
        List<String> keys = withViewKeys(classId, list(classId), promoting(classId), classesPromoting(),
                classesWithList(), promotionTurn(classId), promotionRequests());
        keys.add(heldStudents());
        List<Object> first = redis.execute(BEGIN_PROMOTION, keys, id(classId), now(), key("wls:"), turn.holder(),
                Long.toString(turn.leaseMillis()));
        if (first == null || first.isEmpty()) {
            return null;
        }
        long studentId = Long.parseLong(first.get(0).toString());
        return new Promotion(classId, studentId, name(studentId));
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
        Set<String> classes = redis.opsForSet().members(classesPromoting());
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
        Map<Object, Object> entries = redis.opsForHash().entries(promoting(classId));
        entries.forEach((student, value) -> {
            long started = Long.parseLong(value.toString().substring(value.toString().indexOf(':') + 1));
            if (started < cutoff) {
                long studentId = Long.parseLong(student.toString());
                found.add(new Promotion(classId, studentId, name(studentId)));
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

    private void end(Promotion promotion, String outcome) {
        redis.execute(END_PROMOTION, withViewKeys(promotion.classId(), promoting(promotion.classId()),
                classesPromoting(), list(promotion.classId()), studentLists(promotion.studentId()), classesWithList()),
                id(promotion.studentId()), id(promotion.classId()), outcome, now());
    }

    /**
     * The class's open offers changed (made, accepted, declined, lapsed; enrollment/Offers): the instructor's list,
     * which shows them, gets a new version and Last-Modified, as a change of the list itself does.
     *
     * @param classId the class
     */
    public void offersChanged(long classId) {
        redis.execute(OFFERS_CHANGED, withViewKeys(classId), now());
    }

    /** A script's keys followed by the keys of the conditional-GET bookkeeping ({@link ClassViews#waitlistKeys}). */
    private List<String> withViewKeys(long classId, String... keys) {
        List<String> all = new java.util.ArrayList<>(List.of(keys));
        all.addAll(ClassViews.waitlistKeys(prefix, classId));
        return all;
    }

    /** Now, milliseconds since the epoch as a script argument: the clock the answers' Date is read from too. */
    static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    /**
     * @param classId the class
     * @return the Redis key of its waiting list (a sorted set of student ids, by arrival), for the
     *         {@code spring-redis:} endpoints of the routes
     */
    public String list(long classId) {
        return key("wl:" + classId);
    }

    /**
     * @return the Redis key of the set of students with a hold (ids), whom promotions pass over: a copy kept beside
     *         the lists of what the DynamoDB hold rows say (enrollment/Registrations), for the
     *         {@code spring-redis:} endpoints of routes/RegistrationRoutes
     */
    public String heldStudents() {
        return key("held");
    }

    private String studentLists(long studentId) {
        return key("wls:" + studentId);
    }

    /** The key of the class's in-flight promotions (hash: student id -> "arrival:startedMillis"). */
    String promoting(long classId) {
        return key("promoting:" + classId);
    }

    /** The key of the class's promotion turn (its holder's token, with the lease as its expiry). */
    String promotionTurn(long classId) {
        return key("promote-turn:" + classId);
    }

    /** The key of the promotion requests: a sorted set of class ids by when they are due (epoch ms). */
    String promotionRequests() {
        return key("promotion-requests");
    }

    /** The key of the request versions: a hash of class id -> the requests made since its last one was fulfilled. */
    String promotionRequestVersions() {
        return key("promotion-request-versions");
    }

    private String classesPromoting() {
        return key("classes-promoting");
    }

    private String classesWithList() {
        return key("classes-waiting");
    }

    private String key(String name) {
        return prefix + name;
    }

    private static String id(long id) {
        return Long.toString(id);
    }
}
