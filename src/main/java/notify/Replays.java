package notify;

import java.util.Map;
import json.Json;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import problem.ProblemException;
import store.RedisKeys;

/**
 * Dead letters tried again from the start of their schedule ({@code POST /registrar/dead-letters/…/replay},
 * docs/api.md "Dead letters"), each by one atomic step, so a dead letter is replayed once however many replays race.
 */
public class Replays {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final DeliveryScripts scripts;

    /**
     * @param redis where the dead letters and pending deliveries live
     * @param keys the key layout
     */
    public Replays(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = new DeliveryScripts(redis, keys);
    }

    /** The answer of a replay. */
    public record Replay(String id, String status) {
    }

    /** The answer of a bulk replay: how many dead letters this request put back on their schedule. */
    public record BulkReplay(long replayed) {
    }

    /**
     * Tries a dead letter again from the start of its schedule.
     *
     * @param id the dead letter's id
     * @return the answer of {@code POST /registrar/dead-letters/{id}/replay}
     * @throws ProblemException 404 {@code dead-letter-not-found} when there is no such dead letter (or a replay
     *         racing with this one took it), 409 {@code not-replayable} for a message that was no event
     */
    public Replay replay(String id) {
        Object stored = redis.opsForHash().get(keys.deadLetters(), id);
        if (stored != null && Json.read(stored.toString(), DeadLetter.Stored.class).delivery() == null) {
            throw ProblemException.conflict("not-replayable", "dead letter " + id + " is a message that was not an "
                    + "event; it can be inspected, not replayed");
        }
        if (stored == null || !replayOnce(id, stored.toString())) {
            throw ProblemException.notFound("dead-letter-not-found", "no dead letter " + id);
        }
        return new Replay(id, "scheduled");
    }

    /**
     * Tries every matching dead letter again from the start of its schedule (Svix's "recover since").
     *
     * @param request which dead letters (failed within [since, until), channel, target)
     * @return how many this request replayed
     */
    public BulkReplay replayMatching(ReplayRequest request) {
        long replayed = 0;
        try (Cursor<Map.Entry<Object, Object>> letters = redis.opsForHash().scan(keys.deadLetters(),
                ScanOptions.scanOptions().count(500).build())) {
            while (letters.hasNext()) {
                Map.Entry<Object, Object> letter = letters.next();
                if (request.matches(Json.read(letter.getValue().toString(), DeadLetter.Stored.class))
                        && replayOnce(letter.getKey().toString(), letter.getValue().toString())) {
                    replayed++;
                }
            }
        }
        return new BulkReplay(replayed);
    }

    /** Puts the dead letter, as it was read, back at the start of its schedule, unless another replay took it. */
    private boolean replayOnce(String id, String stored) {
        Delivery delivery = Json.read(stored, DeadLetter.Stored.class).delivery().fromTheStart();
        return scripts.replay(id, stored, delivery, System.currentTimeMillis());
    }
}
