package notify;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
import store.RedisKeys;

/**
 * The gateway to the subscriptions in Redis (keys: store/RedisKeys): a hash per (student, class), indexed by student (listing costs the student's own
 * subscriptions, never a keyspace scan) and by class (class-removed reaches every subscriber).
 */
public final class Subscriptions {

    private static final RedisScript<Long> SUBSCRIBE = LuaScripts.load("subscribe", Long.class);
    private static final RedisScript<Long> UNSUBSCRIBE = LuaScripts.load("unsubscribe", Long.class);
    private static final RedisScript<Long> ROTATE_SECRET = LuaScripts.load("rotate-secret", Long.class);
    /** Secrets valid at once at most, the new one included (docs/api.md "Subscriptions"). */
    static final int MOST_VALID_SECRETS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final WebhookTargets targets;
    private final Duration secretGrace;

    /**
     * @param redis where subscriptions live
     * @param keys the key layout
     * @param targets the SSRF guard for callback URLs
     * @param secretGrace how long a rotated-out secret still signs ({@code WEBHOOK_SECRET_GRACE})
     */
    public Subscriptions(StringRedisTemplate redis, RedisKeys keys, WebhookTargets targets, Duration secretGrace) {
        this.redis = redis;
        this.keys = keys;
        this.targets = targets;
        this.secretGrace = secretGrace;
    }

    /** The answer of a rotation: the new secret (shown only here) and when the one it replaced stops signing. */
    public record SecretRotation(long classId, String secret, Instant previousSecretExpiresAt) {
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
        String encoded = newSecret();
        Long created = subscribe(studentId, classId, request.email(), request.callbackUrl(), encoded);
        return new Stored(new Subscription(classId, request.email(), request.callbackUrl(), encoded, studentId, false,
                List.of()), created != null && created == 1);
    }

    /**
     * Gives the subscription a new webhook secret; the one it replaces keeps signing for the grace period, and at
     * most {@link #MOST_VALID_SECRETS} secrets sign at once (the oldest drop out first).
     *
     * @return the new secret and when the replaced one stops signing
     * @throws ProblemException 404 {@code not-subscribed} when the student has no subscription to the class
     */
    public SecretRotation rotateSecret(long studentId, long classId) {
        String secret = newSecret();
        Long expiresAt = rotateSecret(studentId, classId, secret, secretGrace, MOST_VALID_SECRETS);
        if (expiresAt == null) {
            throw notSubscribed(classId);
        }
        return new SecretRotation(classId, secret, Instant.ofEpochMilli(expiresAt));
    }

    /** {@code whsec_} + base64 of 32 random bytes (Standard Webhooks' secret format). */
    private static String newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "whsec_" + Base64.getEncoder().encodeToString(secret);
    }

    private static ProblemException notSubscribed(long classId) {
        return ProblemException.notFound("not-subscribed", "you are not subscribed to class " + classId);
    }

    /** Removes the subscription, or 404 not-subscribed. */
    public void unsubscribe(long studentId, long classId) {
        Long removed = redis.execute(UNSUBSCRIBE, scriptKeys(studentId, classId), Long.toString(studentId),
                Long.toString(classId));
        if (removed == null || removed == 0) {
            throw notSubscribed(classId);
        }
    }

    public Subscription find(long studentId, long classId) {
        Map<Object, Object> hash = redis.opsForHash().entries(keys.subscription(studentId, classId));
        return hash.isEmpty() ? null : Subscription.from(hash);
    }

    /** The student's subscriptions, one read per subscription of theirs. */
    public List<Subscription> of(long studentId) {
        List<Subscription> found = new ArrayList<>();
        Set<String> classes = redis.opsForSet().members(keys.subscriptionsOfStudent(studentId));
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
        Set<String> students = redis.opsForSet().members(keys.subscribersOfClass(classId));
        return students == null ? List.of() : students.stream().map(Long::parseLong).sorted().toList();
    }

    /** A webhook answered 410 Gone: stop sending to it, keep the rest of the subscription. */
    public void disableWebhook(long studentId, long classId) {
        String hash = keys.subscription(studentId, classId);
        if (Boolean.TRUE.equals(redis.hasKey(hash))) {
            redis.opsForHash().put(hash, "webhookDisabled", "1");
        }
    }

    /** subscribe.lua, {@code email} and {@code callbackUrl} null when not given: 1 when new, 0 when replaced. */
    private Long subscribe(long studentId, long classId, String email, String callbackUrl, String secret) {
        return redis.execute(SUBSCRIBE, scriptKeys(studentId, classId), Long.toString(studentId),
                Long.toString(classId), Objects.toString(email, ""), Objects.toString(callbackUrl, ""), secret);
    }

    /** rotate-secret.lua: when the replaced secret stops signing (epoch ms), or null when not subscribed. */
    private Long rotateSecret(long studentId, long classId, String newSecret, Duration grace, int mostValid) {
        return redis.execute(ROTATE_SECRET, List.of(keys.subscription(studentId, classId)), newSecret,
                Long.toString(System.currentTimeMillis()), Long.toString(grace.toMillis()),
                Integer.toString(mostValid));
    }

    /** The keys subscribe.lua and unsubscribe.lua take: the subscription and its two indexes. */
    private List<String> scriptKeys(long studentId, long classId) {
        return List.of(keys.subscription(studentId, classId), keys.subscriptionsOfStudent(studentId),
                keys.subscribersOfClass(classId));
    }
}
