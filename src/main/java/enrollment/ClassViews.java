package enrollment;

import java.util.List;
import json.Json;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import problem.ProblemException;
import store.LuaScripts;
import store.RedisKeys;
import store.Versioned;

/**
 * The gateway to the answer cache in Redis (never the source of truth; keys: store/RedisKeys): the validators of each waiting list (a version and a
 * Last-Modified second, moved in the same Lua step as every change of the list; lib.lua says how a Last-Modified
 * stays no later than the answer's Date without ever earning a stale 304), the cached registrar answer of
 * each class, each class's owner, and the students' class listing with its version (moved by every change of a
 * class row or of a waiting list). Every DynamoDB change of a class calls {@link #classChanged}, which drops what
 * it made stale.
 */
public final class ClassViews {

    /** A reader that loaded a class just before it changed may not cache it for this long after the change. */
    private static final long HOLD_MILLIS = 5_000;
    /** A cached answer lives this long at most, whatever happens to Redis or to an instance. */
    private static final long VIEW_TTL_SECONDS = 300;
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> POSITION = LuaScripts.load("waitlist-position", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> VALIDATORS = LuaScripts.load("waitlist-validators", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CACHED = LuaScripts.load("class-view", List.class);
    private static final RedisScript<Long> CHANGED = LuaScripts.load("class-changed", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> STORE = LuaScripts.load("store-class-view", List.class);
    private static final RedisScript<Long> STORE_LISTING = LuaScripts.load("store-class-listing", Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Catalog catalog;

    /**
     * @param redis the Redis template
     * @param keys the key layout
     * @param catalog where an answer not cached is built from
     */
    public ClassViews(StringRedisTemplate redis, RedisKeys keys, Catalog catalog) {
        this.redis = redis;
        this.keys = keys;
        this.catalog = catalog;
    }

    /**
     * What a conditional answer is made of (api/Conditional reads it as {@link Versioned}).
     *
     * @param body the answer (null when it is built only for a 200)
     * @param etag the strong ETag, quoted
     * @param lastModifiedSecond the Last-Modified to send, seconds since the epoch, never later than now
     * @param storedModifiedSecond the stored Last-Modified, seconds since the epoch, that If-Modified-Since is
     *     compared with: the same, or later when the stored one is not yet due (lib.lua)
     */
    public record View(Object body, String etag, long lastModifiedSecond, long storedModifiedSecond)
            implements Versioned {
    }

    /**
     * {@code GET /student/classes}: the JSON answer from the cache when it is of the current listing version,
     * otherwise built from the stores ({@link Catalog#open}) and cached unless something changed meanwhile
     * (store-class-listing.lua). One Redis round trip when cached.
     *
     * @return the answer body, JSON text
     */
    public String openClasses() {
        List<String> cached = redis.opsForValue().multiGet(List.of(keys.listingVersion(), keys.listing()));
        String version = cached.get(0) == null ? "0" : cached.get(0);
        String listing = cached.get(1);
        if (listing != null && listing.startsWith(version + "\n")) {
            return listing.substring(version.length() + 1);
        }
        String body = Json.write(catalog.open());
        storeClassListing(version, body, VIEW_TTL_SECONDS);
        return body;
    }

    /**
     * {@code GET /student/waitlist/{classId}}: the answer and its validators from one Redis round trip. The ETag
     * is the answer itself (position and length; the class id is the URL's), so it moves exactly when the answer
     * does (RFC 9110, section 8.8.3), whatever else happened to the list in between.
     */
    @SuppressWarnings("unchecked")
    public View position(long classId, long studentId) {
        List<Long> answer = waitlistPosition(classId, studentId);
        int position = answer.get(0).intValue();
        int waiting = answer.get(1).intValue();
        if (position == 0) {
            throw ProblemException.notFound("not-waitlisted", "you are not on the waiting list of class " + classId);
        }
        return new View(new Answers.Position(classId, position, waiting), "\"" + position + "." + waiting + "\"",
                answer.get(3), answer.get(2));
    }

    /** The validators of a class's whole list (the instructor's view), without building the list. */
    @SuppressWarnings("unchecked")
    public View waitlistValidators(long classId) {
        List<Long> answer = waitlistValidatorsOf(classId);
        return new View(null, "\"w" + answer.get(0) + "\"", answer.get(2), answer.get(1));
    }

    /** The instructor of a class, cached; 404 class-not-found when there is no such class. */
    public long owner(long classId) {
        String cached = redis.opsForValue().get(keys.classOwner(classId));
        if (cached != null) {
            return Long.parseLong(cached);
        }
        long owner = catalog.get(classId).instructorId();
        redis.opsForValue().set(keys.classOwner(classId), Long.toString(owner),
                java.time.Duration.ofSeconds(VIEW_TTL_SECONDS));
        return owner;
    }

    /** {@code GET /registrar/classes/{classId}}: from the cache, or built from the stores and cached. */
    @SuppressWarnings("unchecked")
    public View registrarView(long classId) {
        List<String> cached = classView(classId);
        if (!cached.isEmpty()) {
            return new View(cached.get(0), cached.get(1), Long.parseLong(cached.get(3)),
                    Long.parseLong(cached.get(2)));
        }
        CourseClass course = catalog.get(classId);
        String body = Json.write(course);
        String etag = ClassValidators.etag(course);
        List<String> modified = storeClassView(classId, body, etag, course.updatedAt().getEpochSecond(),
                VIEW_TTL_SECONDS);
        return new View(body, etag, Long.parseLong(modified.get(1)), Long.parseLong(modified.get(0)));
    }

    /**
     * A class's DynamoDB row changed (or was created): its cached answer and owner go, its Last-Modified and the
     * class listing's version move on.
     */
    public void classChanged(long classId) {
        redis.execute(CHANGED, List.of(keys.classModified(classId), keys.classModifiedSeen(classId),
                keys.classView(classId), keys.classOwner(classId), keys.classHold(classId), keys.listingVersion()),
                LuaScripts.now(), Long.toString(HOLD_MILLIS));
    }

    /** store-class-listing.lua: caches the listing unless its version moved past {@code versionRead}. */
    private void storeClassListing(String versionRead, String listing, long ttlSeconds) {
        redis.execute(STORE_LISTING, List.of(keys.listingVersion(), keys.listing()), versionRead, listing,
                Long.toString(ttlSeconds));
    }

    /** waitlist-position.lua: {position (0 when not on it), length, stored Last-Modified, Last-Modified to send}. */
    @SuppressWarnings("unchecked")
    private List<Long> waitlistPosition(long classId, long studentId) {
        return redis.execute(POSITION, List.of(keys.waitlist(classId), keys.waitlistModified(classId),
                keys.waitlistModifiedSeen(classId)), Long.toString(studentId), LuaScripts.now());
    }

    /** waitlist-validators.lua: {version, stored Last-Modified, Last-Modified to send}. */
    @SuppressWarnings("unchecked")
    private List<Long> waitlistValidatorsOf(long classId) {
        return redis.execute(VALIDATORS, List.of(keys.waitlistVersion(classId), keys.waitlistModified(classId),
                keys.waitlistModifiedSeen(classId)), LuaScripts.now());
    }

    /** class-view.lua: {body, ETag, stored Last-Modified, Last-Modified to send}, or empty when not cached. */
    @SuppressWarnings("unchecked")
    private List<String> classView(long classId) {
        return redis.execute(CACHED, List.of(keys.classView(classId), keys.classModifiedSeen(classId)),
                LuaScripts.now());
    }

    /**
     * store-class-view.lua: caches the answer unless the class changed meanwhile.
     *
     * @param rowModifiedSecond the row's Last-Modified, epoch seconds
     * @return {stored Last-Modified, Last-Modified to send}, epoch seconds as strings
     */
    @SuppressWarnings("unchecked")
    private List<String> storeClassView(long classId, String body, String etag, long rowModifiedSecond,
            long ttlSeconds) {
        return redis.execute(STORE, List.of(keys.classView(classId), keys.classHold(classId),
                keys.classModified(classId), keys.classModifiedSeen(classId)), body, etag,
                Long.toString(rowModifiedSecond), Long.toString(ttlSeconds), LuaScripts.now());
    }
}
