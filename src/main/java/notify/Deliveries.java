package notify;

import event.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import json.Json;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
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

    /**
     * A delivery taken in, or an attempt in progress, is held this long; if its instance dies, the schedule
     * attempts it after that. It outlives an attempt's worst case ({@link WebhookDeadline#SECONDS},
     * the mail session's time-outs) several times over.
     */
    static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration DELIVERED_MEMORY = Duration.ofDays(30);
    /** How long a delivery turned away by its host's ceiling waits before it is tried again. */
    static final Duration POSTPONED_BY = Duration.ofSeconds(1);
    /** Consecutive failed attempts to one target, across instances, that open its circuit. */
    static final int FAILURES_TO_OPEN = 5;
    /** How long a probe holds the half-open circuit (an attempt's worst case and some). */
    private static final Duration PROBE_LEASE = Duration.ofSeconds(20);
    /** A circuit nobody failed on, or a parking nobody parked in, for this long is forgotten. */
    private static final Duration CIRCUIT_MEMORY = Duration.ofDays(1);
    /** How much of an unreadable message is kept (API.md: 64 KiB). */
    static final int UNREADABLE_BODY_LIMIT = 64 * 1024;
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> CLAIM = LuaScripts.load("claim-due-deliveries", List.class);
    private static final RedisScript<Long> ACCEPT = LuaScripts.load("accept-delivery", Long.class);
    private static final RedisScript<String> BEGIN = LuaScripts.load("begin-attempt", String.class);
    private static final RedisScript<Object> SUCCEEDED = LuaScripts.load("attempt-succeeded", Object.class);
    private static final RedisScript<Object> FAILED = LuaScripts.load("attempt-failed", Object.class);
    private static final RedisScript<Object> PARK = LuaScripts.load("park-delivery", Object.class);
    private static final RedisScript<Long> UNPARK = LuaScripts.load("unpark-deliveries", Long.class);
    private static final RedisScript<Long> REPLAY = LuaScripts.load("replay-dead-letter", Long.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Subscriptions subscriptions;
    private final List<Duration> schedule;
    private final Duration longestDelay;
    private final Duration openFor;

    /**
     * @param redis where the delivery state lives, shared by every instance
     * @param prefix the prefix of every key ({@code STORE_PREFIX})
     * @param subscriptions who wants which event how
     * @param schedule the delays between attempts ({@code NOTIFY_RETRY_SCHEDULE}), each jittered by ±20%
     * @param openFor how long an open circuit postpones its target's deliveries before one attempt probes
     *        it ({@code NOTIFY_CIRCUIT_OPEN})
     */
    public Deliveries(StringRedisTemplate redis, String prefix, Subscriptions subscriptions, List<Duration> schedule,
            Duration openFor) {
        this.redis = redis;
        this.prefix = prefix;
        this.subscriptions = subscriptions;
        this.schedule = schedule;
        this.openFor = openFor;
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
     * Takes a delivery in from its queue, before the message is acknowledged: from then on it is pending in Redis
     * and the retry schedule attempts it if no attempt ends within {@link #LEASE}.
     *
     * @return true when the delivery is new and is to be attempted now; false when it already succeeded or is
     *         already pending (a message delivered twice)
     */
    public boolean accept(Delivery delivery) {
        Long taken = redis.execute(ACCEPT, List.of(key("delivered:" + delivery.id()), key("deliveries"),
                key("retry-schedule")), delivery.id(), Json.write(delivery), Long.toString(LEASE.toMillis()),
                Long.toString(System.currentTimeMillis()));
        return taken != null && taken == 1L;
    }

    /**
     * Starts the next attempt of the delivery, or returns null when there is nothing to do now: it already
     * succeeded (a message delivered twice), another consumer is attempting it at this moment, or its
     * target's circuit is open (then it is postponed to when the circuit lets a probe through). The attempt
     * is counted and leased.
     */
    public Delivery begin(Delivery delivery) {
        Delivery attempt = delivery.attempted();
        String target = delivery.destination();
        String answer = redis.execute(BEGIN, List.of(key("delivered:" + attempt.id()), key("attempting:" + attempt.id()),
                        key("deliveries"), key("retry-schedule"), key("circuit:" + target),
                        key("circuit-probe:" + target)), attempt.id(), Json.write(attempt),
                Long.toString(LEASE.toMillis()), Long.toString(System.currentTimeMillis()),
                Integer.toString(FAILURES_TO_OPEN), Double.toString(ThreadLocalRandom.current().nextDouble()),
                Long.toString(openFor.toMillis() / 5), Long.toString(PROBE_LEASE.toMillis()),
                Long.toString(openFor.toMillis()));
        if ("delivered".equals(answer)) {
            forget(attempt);
        }
        return "go".equals(answer) ? attempt : null;
    }

    /**
     * Parks a pending delivery that this instance turned away (its target does not answer quickly and has an
     * attempt in flight) without attempting it or counting an attempt: it waits in its target's parking until
     * an attempt to that target ends ({@link #unpark}), or {@link #LEASE} at the latest.
     *
     * @param delivery a delivery that is pending (taken in, or claimed from the schedule)
     */
    public void park(Delivery delivery) {
        redis.execute(PARK, List.of(key("retry-schedule"), key("parked:" + delivery.destination())), delivery.id(),
                Long.toString(System.currentTimeMillis()), Long.toString(LEASE.toMillis()),
                Long.toString(CIRCUIT_MEMORY.toSeconds()));
    }

    /**
     * Lets a target's parked deliveries out, oldest first, due now.
     *
     * @param target as {@link Delivery#destination()}
     * @param count how many at most
     * @return how many were let out
     */
    public long unpark(String target, int count) {
        Long released = redis.execute(UNPARK, List.of(key("parked:" + target), key("retry-schedule")),
                Integer.toString(count), Long.toString(System.currentTimeMillis()));
        return released == null ? 0 : released;
    }

    /**
     * Puts a pending delivery that this instance turned away because its host had its ceiling of attempts in flight
     * back into the schedule, due about {@link #POSTPONED_BY} later (±20%), without counting an attempt.
     *
     * @param delivery a delivery that is pending (taken in, or claimed from the schedule)
     */
    public void postpone(Delivery delivery) {
        // (a delivery that ends meanwhile leaves only its id here, which claimDue drops)
        redis.opsForZSet().add(key("retry-schedule"), delivery.id(),
                System.currentTimeMillis() + jittered(POSTPONED_BY));
    }

    /** The target has it: remember that (a redelivered message is then skipped) and forget the delivery. */
    public void delivered(Delivery delivery) {
        String target = delivery.destination();
        redis.execute(SUCCEEDED, List.of(key("delivered:" + delivery.id()), key("attempting:" + delivery.id()),
                key("deliveries"), key("retry-schedule"), key("circuit:" + target),
                key("circuit-probe:" + target)), delivery.id(), Long.toString(DELIVERED_MEMORY.toSeconds()));
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
        long now = System.currentTimeMillis();
        String target = delivery.destination();
        redis.execute(FAILED, List.of(key("attempting:" + delivery.id()), key("deliveries"), key("retry-schedule"),
                        key("circuit:" + target), key("circuit-probe:" + target)), delivery.id(),
                Json.write(delivery), Long.toString(now + delay), Long.toString(now), Integer.toString(FAILURES_TO_OPEN),
                Long.toString(openFor.toMillis()), Long.toString(CIRCUIT_MEMORY.toSeconds()));
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
    public record DeadLetters(List<DeadLetter> deadLetters) {
    }

    /**
     * @return the Redis key of the dead letters (a hash by delivery id), for the {@code spring-redis:} HVALS of
     *         route {@code list-dead-letters}
     */
    public String deadLettersKey() {
        return key("dead-letters");
    }

    /**
     * @param stored the dead letters as stored (the values of {@link #deadLettersKey()})
     * @return them as {@code GET /registrar/dead-letters} shows them, oldest first
     */
    public DeadLetters deadLetters(List<String> stored) {
        return new DeadLetters(stored.stream()
                .map(value -> Json.read(value, DeadLetter.Stored.class).view())
                .sorted(java.util.Comparator.comparing(DeadLetter::failedAt)).toList());
    }

    /** The answer of a replay. */
    public record Replay(String id, String status) {
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
        Object stored = redis.opsForHash().get(key("dead-letters"), id);
        if (stored != null && Json.read(stored.toString(), DeadLetter.Stored.class).delivery() == null) {
            throw ProblemException.conflict("not-replayable", "dead letter " + id + " is a message that was not an "
                    + "event; it can be inspected, not replayed");
        }
        if (stored == null || !replayOnce(id, stored.toString())) {
            throw ProblemException.notFound("dead-letter-not-found", "no dead letter " + id);
        }
        return new Replay(id, "scheduled");
    }

    /** The answer of a bulk replay: how many dead letters this request put back on their schedule. */
    public record BulkReplay(long replayed) {
    }

    /**
     * Tries every matching dead letter again from the start of its schedule (Svix's "recover since"). Each is taken
     * by one atomic step, so of two requests racing over the same dead letters each letter is replayed by one.
     *
     * @param request which dead letters (failed within [since, until), channel, target)
     * @return how many this request replayed
     */
    public BulkReplay replayMatching(ReplayRequest request) {
        long replayed = 0;
        try (Cursor<Map.Entry<Object, Object>> letters = redis.opsForHash().scan(key("dead-letters"),
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
        Long replayed = redis.execute(REPLAY, List.of(key("dead-letters"), key("deliveries"), key("retry-schedule")),
                id, stored, Json.write(delivery), Long.toString(System.currentTimeMillis()));
        return replayed != null && replayed == 1L;
    }

    /** ±20% so that deliveries failing together do not retry in lockstep. */
    private static long jittered(Duration delay) {
        return Math.round(delay.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }

    private String key(String name) {
        return prefix + name;
    }
}
