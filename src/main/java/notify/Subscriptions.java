package notify;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.camel.Header;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import problem.ProblemException;
import store.LuaScripts;

/**
 * Subscriptions in Redis: a hash per (student, class), indexed by student (listing costs the student's own
 * subscriptions, never a keyspace scan) and by class (class-removed reaches every subscriber).
 */
public final class Subscriptions {

    private static final RedisScript<Long> SUBSCRIBE = LuaScripts.load("subscribe", Long.class);
    private static final RedisScript<Long> UNSUBSCRIBE = LuaScripts.load("unsubscribe", Long.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StringRedisTemplate redis;
    private final String prefix;
    private final WebhookTargets targets;

    public Subscriptions(StringRedisTemplate redis, String prefix, WebhookTargets targets) {
        this.redis = redis;
        this.prefix = prefix;
        this.targets = targets;
    }

    /** A subscription answer, with whether it was new (201) or replaced one (200). */
    public record Stored(Subscription subscription, boolean created) {
    }

    /**
     * The request's targets, from the JSON body or the seed's {@code email_header} / {@code callback_header}
     * headers, validated: a bad address or a forbidden webhook target is refused before anything is stored.
     */
    public SubscribeRequest validate(SubscribeRequest body, @Header("email_header") String emailHeader,
                                     @Header("callback_header") String callbackHeader) {
        String email = body != null && body.email() != null ? body.email() : emailHeader;
        String callbackUrl = body != null && body.callbackUrl() != null ? body.callbackUrl() : callbackHeader;
        if (email == null && callbackUrl == null) {
            throw new ProblemException(400, "missing-target", "give an email, a callbackUrl, or both");
        }
        return new SubscribeRequest(email == null ? null : EmailAddresses.check(email),
                callbackUrl == null ? null : targets.check(callbackUrl).toString());
    }

    public Stored subscribe(long studentId, long classId, SubscribeRequest request) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String encoded = "whsec_" + Base64.getEncoder().encodeToString(secret);
        Long created = redis.execute(SUBSCRIBE, keys(studentId, classId), Long.toString(studentId),
                Long.toString(classId), Objects.toString(request.email(), ""),
                Objects.toString(request.callbackUrl(), ""), encoded);
        return new Stored(new Subscription(classId, request.email(), request.callbackUrl(), encoded, studentId, false),
                created != null && created == 1);
    }

    /** Removes the subscription, or 404 not-subscribed. */
    public void unsubscribe(long studentId, long classId) {
        Long removed = redis.execute(UNSUBSCRIBE, keys(studentId, classId), Long.toString(studentId),
                Long.toString(classId));
        if (removed == null || removed == 0) {
            throw ProblemException.notFound("not-subscribed", "you are not subscribed to class " + classId);
        }
    }

    public Subscription find(long studentId, long classId) {
        Map<Object, Object> hash = redis.opsForHash().entries(subscription(studentId, classId));
        return hash.isEmpty() ? null : Subscription.from(hash);
    }

    /** The student's subscriptions, one read per subscription of theirs. */
    public List<Subscription> of(long studentId) {
        List<Subscription> found = new ArrayList<>();
        Set<String> classes = redis.opsForSet().members(key("subs-of-student:" + studentId));
        for (String classId : classes == null ? Set.<String>of() : classes) {
            Subscription subscription = find(studentId, Long.parseLong(classId));
            if (subscription != null) {
                found.add(subscription);
            }
        }
        return found;
    }

    /** The students subscribed to a class. */
    public List<Long> subscribersOf(long classId) {
        Set<String> students = redis.opsForSet().members(key("subs-of-class:" + classId));
        return students == null ? List.of() : students.stream().map(Long::parseLong).sorted().toList();
    }

    /** A webhook answered 410 Gone: stop sending to it, keep the rest of the subscription. */
    public void disableWebhook(long studentId, long classId) {
        String hash = subscription(studentId, classId);
        if (Boolean.TRUE.equals(redis.hasKey(hash))) {
            redis.opsForHash().put(hash, "webhookDisabled", "1");
        }
    }

    private List<String> keys(long studentId, long classId) {
        return List.of(subscription(studentId, classId), key("subs-of-student:" + studentId),
                key("subs-of-class:" + classId));
    }

    private String subscription(long studentId, long classId) {
        return key("sub:" + studentId + ":" + classId);
    }

    private String key(String name) {
        return prefix + name;
    }
}
