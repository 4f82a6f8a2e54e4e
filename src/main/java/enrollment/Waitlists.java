package enrollment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import problem.ProblemException;
import store.LuaScripts;
import store.RedisKeys;
import static store.LuaScripts.id;
import static store.LuaScripts.now;

/**
 * The gateway to the waiting lists in Redis (keys: store/RedisKeys); the students taken off them to be seated are
 * {@link PromotionsInFlight}; those promotions pass over the held students (routes/RegistrationRoutes keeps that
 * set with spring-redis steps). Every change that touches more
 * than one key is one Lua script (src/main/resources/lua/), so the limits of docs/api.md "Waiting lists" hold with
 * any number of service instances; each script is called through one private method below whose parameters name
 * what the script's ARGV holds, and which passes every key the script touches in KEYS.
 */
public final class Waitlists {

    public static final int MAX_PER_LIST = 15;
    public static final int MAX_LISTS_PER_STUDENT = 3;

    private static final RedisScript<Long> JOIN = LuaScripts.load("join-waitlist", Long.class);
    private static final RedisScript<Long> LEAVE = LuaScripts.load("leave-waitlist", Long.class);
    private static final RedisScript<Long> COUNT_WAITING = LuaScripts.load("count-waiting", Long.class);
    private static final RedisScript<Long> OFFERS_CHANGED = LuaScripts.load("offers-changed", Long.class);

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

    /** Empties a removed class's list; the students' list counts drop with it. */
    public List<Long> clear(long classId) {
        List<Long> waiting = students(classId);
        for (long studentId : waiting) {
            leave(classId, studentId);
        }
        return waiting;
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

    /** join-waitlist.lua: -1 already waitlisted, -2 list full, -3 too many lists, else the 1-based position. */
    private long joinWaitlist(long classId, long studentId, String name, int maxPerList, int maxListsPerStudent,
                              Long swapFor) {
        return redis.execute(JOIN, keys.withWaitlistChange(classId, keys.waitlist(classId), keys.listsOf(studentId),
                        keys.arrivals(), keys.classesWaiting(), keys.studentNames(), keys.swaps(classId)),
                id(studentId), id(classId), Integer.toString(maxPerList), Integer.toString(maxListsPerStudent), name,
                now(), swapFor == null ? "" : id(swapFor));
    }

    /** leave-waitlist.lua: 1 when the student was on the list, else 0. */
    private long leaveWaitlist(long classId, long studentId) {
        return redis.execute(LEAVE, keys.withWaitlistChange(classId, keys.waitlist(classId), keys.listsOf(studentId),
                keys.classesWaiting(), keys.swaps(classId)), id(studentId), id(classId), now());
    }
}
