package notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import json.Json;
import org.springframework.data.redis.core.StringRedisTemplate;
import store.RedisKeys;

/**
 * The dead letters in Redis (a hash by id, docs/api.md "Dead letters"): deliveries that ran out of attempts or
 * failed for good, and queue messages that were no event. Replaying them is {@link Replays}.
 */
public class DeadLetters {

    /** How much of an unreadable message is kept (docs/api.md: 64 KiB). */
    static final int UNREADABLE_BODY_LIMIT = 64 * 1024;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    /**
     * @param redis where the dead letters live, shared by every instance
     * @param keys the key layout
     */
    public DeadLetters(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** {@code GET /registrar/dead-letters}: the dead letters, oldest first. */
    public record DeadLetterList(List<DeadLetter> deadLetters) {
    }

    /**
     * Keeps a delivery that failed for good as a dead letter, under its own id (a replay sends it again).
     *
     * @param delivery the delivery, its last attempt counted
     * @param error why its last attempt failed, as an operator reads it
     */
    public void add(Delivery delivery, String error) {
        DeadLetter.Stored letter = new DeadLetter.Stored(delivery.id(), error, Instant.now(), delivery, null, null);
        redis.opsForHash().put(keys.deadLetters(), delivery.id(), Json.write(letter));
    }

    /**
     * Keeps a queue message that is not a readable event as a dead letter of channel {@code unreadable}, so an
     * operator can see and inspect it; it is never replayed.
     *
     * @param body the message's bytes as received, or null (the first {@link #UNREADABLE_BODY_LIMIT} are kept, as
     *        UTF-8)
     * @param queue the queue it came from
     * @param reason why it is not an event
     * @return the dead letter's id
     */
    public String addUnreadable(byte[] body, String queue, String reason) {
        String id = DeadLetter.UNREADABLE + "-" + UUID.randomUUID();
        byte[] bytes = body == null ? new byte[0] : body;
        String kept = new String(bytes, 0, Math.min(bytes.length, UNREADABLE_BODY_LIMIT), StandardCharsets.UTF_8);
        redis.opsForHash().put(keys.deadLetters(), id,
                Json.write(new DeadLetter.Stored(id, reason, Instant.now(), null, queue, kept)));
        return id;
    }

    /**
     * @return the Redis key of the dead letters (a hash by id), for the {@code spring-redis:} HVALS step of route
     *         {@code list-dead-letters}, which operators watch in JMX and Hawtio as a store call of its own
     */
    public String key() {
        return keys.deadLetters();
    }

    /**
     * @param stored the dead letters as stored (the values of {@link #key()})
     * @return them as {@code GET /registrar/dead-letters} shows them, oldest first
     */
    public DeadLetterList list(List<String> stored) {
        return new DeadLetterList(stored.stream()
                .map(value -> Json.read(value, DeadLetter.Stored.class).view())
                .sorted(Comparator.comparing(DeadLetter::failedAt)).toList());
    }
}
