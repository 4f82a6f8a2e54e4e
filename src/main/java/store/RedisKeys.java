package store;

/**
 * Every Redis key the service uses, built from the {@code STORE_PREFIX} of the instance (several services may share
 * one Redis). The layout, under the prefix:
 *
 * <pre>
 * deliveries                      hash    delivery id → pending delivery (JSON, its attempt count)
 * retry-schedule                  zset    delivery id → when it is due (epoch ms); the safety net of every pending one
 * delivered:{delivery id}         string  a delivery that succeeded (kept 30 days: a redelivered message is skipped)
 * attempting:{delivery id}        string  the lock of the attempt in flight (expires with its lease)
 * circuit:{target}                hash    failures, open_until (epoch ms): the target's circuit
 * circuit-probe:{target}          string  the lock of the one attempt probing a half-open circuit
 * parked:{target}                 zset    delivery id → when it was parked (epoch ms), let out as attempts end
 * dead-letters                    hash    dead letter id → dead letter (JSON): deliveries that failed for good,
 *                                         queue messages that were no event
 *
 * sub:{student id}:{class id}     hash    a subscription: studentId, classId, email, callbackUrl, secret,
 *                                         previousSecrets (JSON), webhookDisabled
 * subs-of-student:{student id}    set     the class ids the student is subscribed to
 * subs-of-class:{class id}        set     the student ids subscribed to the class
 * </pre>
 *
 * A {@code {target}} is a delivery's destination: a webhook's callback URL, or {@code smtp-relay} for every email.
 */
public final class RedisKeys {

    private final String prefix;

    /** @param prefix the prefix of every key ({@code STORE_PREFIX}), e.g. {@code enrollment:} */
    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    // --- deliveries (notify/Deliveries, Parking, DeadLetters, Replays; lua/*-delivery*.lua, attempt-*.lua) ---

    /** @return the hash of pending deliveries, by delivery id */
    public String deliveries() {
        return prefix + "deliveries";
    }

    /** @return the sorted set of pending delivery ids by due time (epoch ms) */
    public String retrySchedule() {
        return prefix + "retry-schedule";
    }

    /** @return the marker of a delivery that succeeded */
    public String delivered(String deliveryId) {
        return prefix + "delivered:" + deliveryId;
    }

    /** @return the lock of a delivery's attempt in flight */
    public String attempting(String deliveryId) {
        return prefix + "attempting:" + deliveryId;
    }

    /** @return the circuit of a destination (hash: failures, open_until) */
    public String circuit(String target) {
        return prefix + "circuit:" + target;
    }

    /** @return the lock of the attempt probing a destination's half-open circuit */
    public String circuitProbe(String target) {
        return prefix + "circuit-probe:" + target;
    }

    /** @return a destination's parking: delivery ids by when they were parked (epoch ms) */
    public String parked(String target) {
        return prefix + "parked:" + target;
    }

    /** @return the hash of dead letters, by id */
    public String deadLetters() {
        return prefix + "dead-letters";
    }

    // --- subscriptions (notify/Subscriptions; lua/subscribe.lua, unsubscribe.lua, rotate-secret.lua) ---

    /** @return the hash of a student's subscription to a class */
    public String subscription(long studentId, long classId) {
        return prefix + "sub:" + studentId + ":" + classId;
    }

    /** @return the set of class ids a student is subscribed to */
    public String subscriptionsOfStudent(long studentId) {
        return prefix + "subs-of-student:" + studentId;
    }

    /** @return the set of student ids subscribed to a class */
    public String subscribersOfClass(long classId) {
        return prefix + "subs-of-class:" + classId;
    }
}
