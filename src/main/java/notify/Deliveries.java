package notify;

import app.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import problem.ProblemException;
import store.LuaScripts;

/**
 * The delivery state in Redis, shared by every instance: pending deliveries with their attempt counts, the retry
 * schedule (a sorted set by due time, so pending retries survive a restart of every instance), markers of
 * deliveries that succeeded (so a redelivered message is not sent twice), and the dead letters.
 */
public final class Deliveries {

    /** An attempt in progress holds its delivery this long; if its instance dies, the delivery is retried after. */
    static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration DELIVERED_MEMORY = Duration.ofDays(30);
    /** How much of an unreadable message is kept (API.md: 64 KiB). */
    static final int UNREADABLE_BODY_LIMIT = 64 * 1024;
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> CLAIM = LuaScripts.load("claim-due-deliveries", List.class);
    private static final RedisScript<String> BEGIN = LuaScripts.load("begin-attempt", String.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Subscriptions subscriptions;
    private final List<Duration> schedule;
    private final Duration longestDelay;

    public Deliveries(StringRedisTemplate redis, String prefix, Subscriptions subscriptions, List<Duration> schedule) {
        this.redis = redis;
        this.prefix = prefix;
        this.subscriptions = subscriptions;
        this.schedule = schedule;
        this.longestDelay = schedule.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The deliveries an event asks for on one channel: the event's student's subscription to its class. */
    public List<Delivery> forEvent(Event event, String channel) {
        Subscription subscription = subscriptions.find(event.studentId(), event.classId());
        if (subscription == null) {
            return List.of();
        }
        if (Delivery.EMAIL.equals(channel) && subscription.wantsEmail()) {
            return List.of(Delivery.first(event, channel, subscription.email()));
        }
        if (Delivery.WEBHOOK.equals(channel) && subscription.wantsWebhook()) {
            return List.of(Delivery.first(event, channel, subscription.callbackUrl()));
        }
        return List.of();
    }

    /**
     * Starts the next attempt of the delivery, or null when there is nothing to do: it already succeeded (a message
     * delivered twice), or another consumer is attempting it at this moment. The attempt is counted and leased.
     */
    public Delivery begin(Delivery delivery) {
        Delivery attempt = delivery.attempted();
        String answer = redis.execute(BEGIN, List.of(key("delivered:" + attempt.id()), key("attempting:" + attempt.id()),
                        key("deliveries"), key("retry-schedule")), attempt.id(), Json.write(attempt),
                Long.toString(LEASE.toMillis()), Long.toString(System.currentTimeMillis()));
        if ("delivered".equals(answer)) {
            forget(attempt);
        }
        return "go".equals(answer) ? attempt : null;
    }

    /** The target has it: remember that (a redelivered message is then skipped) and forget the delivery. */
    public void delivered(Delivery delivery) {
        redis.opsForValue().set(key("delivered:" + delivery.id()), "1", DELIVERED_MEMORY);
        forget(delivery);
    }

    /** The attempt failed in a way worth retrying: next slot of the schedule, or a dead letter after the last. */
    public void failed(Delivery delivery, Outcome outcome) {
        if (delivery.attempts() > schedule.size()) {
            deadLetter(delivery, outcome);
            return;
        }
        long delay = jittered(schedule.get(delivery.attempts() - 1));
        if (outcome.retryAfterSeconds() != null) {
            // Retry-After is honoured, but never beyond the longest delay of the schedule
            delay = Math.max(delay, Math.min(outcome.retryAfterSeconds() * 1000, longestDelay.toMillis()));
        }
        redis.opsForHash().put(key("deliveries"), delivery.id(), Json.write(delivery));
        redis.opsForZSet().add(key("retry-schedule"), delivery.id(), System.currentTimeMillis() + delay);
        redis.delete(key("attempting:" + delivery.id()));
    }

    public void deadLetter(Delivery delivery, Outcome outcome) {
        DeadLetter.Stored letter = new DeadLetter.Stored(delivery.id(), outcome.error(), Instant.now(), delivery,
                null, null);
        redis.opsForHash().put(key("dead-letters"), delivery.id(), Json.write(letter));
        forget(delivery);
    }

    /**
     * Parks a queue message that is not a readable event as a dead letter of channel {@code unreadable}, so an
     * operator can see and inspect it; it is never replayed. The body is bound as the message's bytes (a body
     * spelled {@code null} would otherwise reach a bean parameter as null).
     *
     * @param body the message's bytes as received (the first {@link #UNREADABLE_BODY_LIMIT} are kept, as UTF-8)
     * @param queue the queue it came from
     * @param reason why it is not an event
     * @return the dead letter's id
     */
    public String parkUnreadable(@Body byte[] body, @ExchangeProperty("queue") String queue,
            @ExchangeProperty("reason") String reason) {
        String id = DeadLetter.UNREADABLE + "-" + UUID.randomUUID();
        byte[] bytes = body == null ? new byte[0] : body;
        String kept = new String(bytes, 0, Math.min(bytes.length, UNREADABLE_BODY_LIMIT), StandardCharsets.UTF_8);
        redis.opsForHash().put(key("dead-letters"), id,
                Json.write(new DeadLetter.Stored(id, reason, Instant.now(), null, queue, kept)));
        return id;
    }

    /** The delivery needs nothing more (delivered, dead-lettered, or its webhook is gone). */
    public void forget(Delivery delivery) {
        redis.opsForZSet().remove(key("retry-schedule"), delivery.id());
        redis.opsForHash().delete(key("deliveries"), delivery.id());
        redis.delete(key("attempting:" + delivery.id()));
    }

    /** Claims up to {@code limit} deliveries whose retry is due. */
    @SuppressWarnings("unchecked")
    public List<Delivery> claimDue(int limit) {
        List<Object> ids = redis.execute(CLAIM, List.of(key("retry-schedule")),
                Long.toString(System.currentTimeMillis()), Long.toString(LEASE.toMillis()), Integer.toString(limit));
        List<Delivery> due = new ArrayList<>();
        if (ids == null || ids.isEmpty()) {
            return due;
        }
        List<Object> stored = redis.opsForHash().multiGet(key("deliveries"), new ArrayList<>(ids));
        for (int i = 0; i < ids.size(); i++) {
            if (stored.get(i) == null) {
                redis.opsForZSet().remove(key("retry-schedule"), ids.get(i));
            } else {
                due.add(Json.read(stored.get(i).toString(), Delivery.class));
            }
        }
        return due;
    }

    /** {@code GET /registrar/dead-letters}. */
    public record Listing(List<DeadLetter> deadLetters) {
    }

    public Listing deadLetters() {
        return new Listing(redis.opsForHash().values(key("dead-letters")).stream()
                .map(value -> Json.read(value.toString(), DeadLetter.Stored.class).view())
                .sorted(java.util.Comparator.comparing(DeadLetter::failedAt)).toList());
    }

    /** The answer of a replay. */
    public record Replay(String id, String status) {
    }

    /** Tries a dead letter again from the start of its schedule; 404 when there is no such dead letter. */
    public Replay replay(String id) {
        Object stored = redis.opsForHash().get(key("dead-letters"), id);
        if (stored == null) {
            throw ProblemException.notFound("dead-letter-not-found", "no dead letter " + id);
        }
        Delivery parked = Json.read(stored.toString(), DeadLetter.Stored.class).delivery();
        if (parked == null) {
            throw ProblemException.conflict("not-replayable", "dead letter " + id + " is a message that was not an "
                    + "event; it can be inspected, not replayed");
        }
        Delivery delivery = parked.fromTheStart();
        redis.opsForHash().put(key("deliveries"), delivery.id(), Json.write(delivery));
        redis.opsForZSet().add(key("retry-schedule"), delivery.id(), System.currentTimeMillis());
        redis.opsForHash().delete(key("dead-letters"), id);
        return new Replay(id, "scheduled");
    }

    /** ±20% so that deliveries failing together do not retry in lockstep. */
    private static long jittered(Duration delay) {
        return Math.round(delay.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }

    private String key(String name) {
        return prefix + name;
    }
}
