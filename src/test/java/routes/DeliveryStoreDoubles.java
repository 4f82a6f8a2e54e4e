package routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import notify.Circuit;
import notify.DeadLetters;
import notify.Deliveries;
import notify.Delivery;
import notify.Parking;
import notify.Subscription;
import notify.Subscriptions;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * In-memory stand-ins for the delivery pipeline's Redis gateways, so that its routes run alone, in milliseconds:
 * each keeps the state the real gateway keeps (pending deliveries, delivered markers, dead letters, subscriptions)
 * and the calls the routes made, and can fail the way Redis fails ({@link RedisConnectionFailureException}, what
 * Spring Data Redis throws when the server is unreachable).
 */
final class DeliveryStoreDoubles {

    private DeliveryStoreDoubles() {
    }

    /** The pending deliveries: accept, begin (with a circuit that can be open), record, claim. */
    static final class PendingDeliveries extends Deliveries {

        final Map<String, Delivery> pending = new ConcurrentHashMap<>();
        final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        /** delivery id → when it is due again (epoch ms), as recorded by a failed attempt */
        final Map<String, Long> dueAgain = new ConcurrentHashMap<>();
        final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
        final List<String> postponed = Collections.synchronizedList(new ArrayList<>());
        /** what the schedule hands out at the next claim */
        final List<Delivery> due = Collections.synchronizedList(new ArrayList<>());
        volatile boolean circuitOpen;
        /** how many of the next records of a success fail as if Redis were down */
        final AtomicInteger recordingFailures = new AtomicInteger();
        final AtomicInteger recordingTries = new AtomicInteger();
        volatile boolean leaseHolds = true;

        PendingDeliveries() {
            super(null, null, new Circuit(Duration.ofSeconds(30)));
        }

        @Override
        public boolean accept(Delivery delivery) {
            return !delivered.contains(delivery.id()) && pending.putIfAbsent(delivery.id(), delivery) == null;
        }

        @Override
        public Delivery begin(Delivery delivery) {
            if (delivered.contains(delivery.id()) || circuitOpen) {
                return null;
            }
            Delivery attempt = delivery.attempted();
            pending.put(attempt.id(), attempt);
            return attempt;
        }

        @Override
        public boolean leaseHolds(long leasedAt) {
            return leaseHolds;
        }

        @Override
        public void postpone(Delivery delivery) {
            postponed.add(delivery.id());
        }

        @Override
        public void delivered(Delivery delivery) {
            recordingTries.incrementAndGet();
            if (recordingFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new RedisConnectionFailureException("Unable to connect to Redis");
            }
            delivered.add(delivery.id());
            pending.remove(delivery.id());
        }

        @Override
        public void failed(Delivery delivery, long dueAtMillis) {
            pending.put(delivery.id(), delivery);
            dueAgain.put(delivery.id(), dueAtMillis);
        }

        @Override
        public void forget(Delivery delivery) {
            forgotten.add(delivery.id());
            pending.remove(delivery.id());
        }

        @Override
        public List<Delivery> claimDue(int limit) {
            synchronized (due) {
                List<Delivery> claimed = List.copyOf(due);
                due.clear();
                return claimed;
            }
        }
    }

    /** Each target's parking. */
    static final class Parkings extends Parking {

        final List<String> parked = Collections.synchronizedList(new ArrayList<>());

        Parkings() {
            super(null, null);
        }

        @Override
        public void park(Delivery delivery) {
            parked.add(delivery.id());
        }

        @Override
        public long unpark(String target, int count) {
            return 0;
        }
    }

    /** A dead letter as kept: the delivery (null for a message that was no event), the error, the queue, the body. */
    record Letter(Delivery delivery, String error, String queue, String body) {
    }

    /** The dead letters. */
    static final class Letters extends DeadLetters {

        final List<Letter> letters = Collections.synchronizedList(new ArrayList<>());

        Letters() {
            super(null, null);
        }

        @Override
        public void add(Delivery delivery, String error) {
            letters.add(new Letter(delivery, error, null, null));
        }

        @Override
        public String addUnreadable(byte[] body, String queue, String reason) {
            letters.add(new Letter(null, reason, queue, body == null ? null : new String(body)));
            return "unreadable-" + letters.size();
        }
    }

    /** The subscriptions: one student's, to one class, by email and webhook. */
    static final class OneSubscription extends Subscriptions {

        static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        final Subscription subscription;
        final List<Long> webhookDisabledFor = Collections.synchronizedList(new ArrayList<>());
        /** every read fails as if Redis were down */
        volatile boolean failFinds;

        OneSubscription(long studentId, long classId, String email, String callbackUrl) {
            super(null, null, null, Duration.ZERO);
            this.subscription = new Subscription(classId, email, callbackUrl, SECRET, studentId, false, List.of());
        }

        @Override
        public Subscription find(long studentId, long classId) {
            if (failFinds) {
                throw new RedisConnectionFailureException("Unable to connect to Redis");
            }
            return studentId == subscription.studentId() && classId == subscription.classId() ? subscription : null;
        }

        @Override
        public void disableWebhook(long studentId, long classId) {
            webhookDisabledFor.add(studentId);
        }
    }
}
