package bench;

import static bench.NotifyReport.perSecond;
import static bench.NotifyReport.percentiles;

import bench.HookReceiver.Arrival;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NotifyBench's phase C, the delivery side alone (needs --amqp): events published straight to the `notify` exchange
 * at --c-rate (0 = as fast as publisher confirms allow) for subscriptions made here, bypassing the API, DynamoDB and
 * the outbox; measures what the email / webhook consumers sustain.
 */
final class DeliveryPhase extends NotifyPhase {

    DeliveryPhase(NotifyOptions options, NotifyClient load, NotifyReport report) {
        super(options, load, report);
    }

    /**
     * Sets up the subscriptions, publishes to the broker and prints the phase's figures.
     *
     * @return whether every event's webhook (and with --c-email, its email) arrived
     */
    boolean run(Connection amqp) throws Exception {
        int waiting = options.waiting;
        boolean emailC = options.emailC;
        double rateC = options.rateC;
        int warmupC = options.warmupC;
        int durationC = options.durationC;
        // subscriptions only (no enrollments): the consumers look them up by (student, class)
        int classes = (int) Math.ceil(options.subscribersC / (double) waiting);
        long t0setup = System.currentTimeMillis();
        List<long[]> pairs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(options.setupThreads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            futures.add(pool.submit(() -> {
                long classId = load.newClass('C');
                for (int k = 0; k < waiting; k++) {
                    long student = load.newStudent();
                    load.subscribe(classId, student, load.token(student), emailC);
                    pairs.add(new long[] {student, classId});
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (Future<?> f : futures) {
                f.get(600, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%nsetup C: %d classes, %d subscriptions (%s) in %.1f s%n", classes, pairs.size(),
                emailC ? "email + webhook" : "webhook only", (System.currentTimeMillis() - t0setup) / 1000.0);
        int maxEvents = rateC > 0 ? (int) Math.round(rateC * (warmupC + durationC)) : 200_000;
        System.out.printf("== phase C: events published straight to exchange `notify` at %s for %d s of warm-up "
                        + "(not measured) + %d s measured (%d events at most)%n",
                rateC > 0 ? String.format("%.0f/s", rateC) : "full speed", warmupC, durationC, maxEvents);
        int mailBefore = mail.count();

        Channel ch = amqp.createChannel();
        ch.confirmSelect();
        ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
        AtomicInteger nacked = new AtomicInteger();
        ch.addConfirmListener((seq, multiple) -> {
            if (multiple) {
                unconfirmed.headSet(seq, true).clear();
            } else {
                unconfirmed.remove(seq);
            }
        }, (seq, multiple) -> {
            int n = multiple ? unconfirmed.headSet(seq, true).size() : 1;
            nacked.addAndGet(n);
            if (multiple) {
                unconfirmed.headSet(seq, true).clear();
            } else {
                unconfirmed.remove(seq);
            }
        });
        long t0 = System.currentTimeMillis();
        long measureFrom = t0 + warmupC * 1000L;
        long end = measureFrom + durationC * 1000L;
        int published = 0;
        int measured = 0;
        int mailAtMeasure = -1;
        int hooksAtMeasure = -1;
        while (published < maxEvents && System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            if (mailAtMeasure < 0 && now >= measureFrom) {
                mailAtMeasure = mail.count();
                hooksAtMeasure = hooks.received('C');
            }
            long due = rateC > 0 ? Math.min(maxEvents, (long) ((now - t0) * rateC / 1000.0) + 1) : maxEvents;
            if (published >= due || unconfirmed.size() >= 5000) {
                Thread.sleep(1);
                continue;
            }
            long[] pair = pairs.get(published % pairs.size());
            unconfirmed.add(ch.getNextPublishSeqNo());
            publish(ch, "Notify bench C", pair[0], pair[1]);
            published++;
            if (now >= measureFrom) {
                measured++;
            }
        }
        long sendEnd = System.currentTimeMillis();
        if (mailAtMeasure < 0) {
            mailAtMeasure = mail.count();
            hooksAtMeasure = hooks.received('C');
        }
        int hooksAtEnd = hooks.received('C');
        int mailAtEnd = mail.count();
        boolean confirmed = ch.waitForConfirms(30_000);
        ch.close();
        long windowStart = Math.min(measureFrom, sendEnd);
        long windowMs = Math.max(1, sendEnd - windowStart);
        double hookRate = (hooksAtEnd - hooksAtMeasure) * 1000.0 / windowMs;
        double mailRate = (mailAtEnd - mailAtMeasure) * 1000.0 / windowMs;
        System.out.printf("published %d in %.1f s (%d in the measured %.1f s = %.1f events/s); all confirmed: %s, "
                        + "nacked %d%n", published, (sendEnd - t0) / 1000.0, measured, windowMs / 1000.0,
                measured * 1000.0 / windowMs, confirmed, nacked.get());
        System.out.printf("webhooks received during the measured window: %.1f/s (over %d connections); "
                + "emails accepted: %.1f/s%n", hookRate, hooks.connections('C'), emailC ? mailRate : 0.0);
        NotifyReport.Drain drain = report.drain('C', published, mailBefore, sendEnd, emailC);
        List<Arrival> mine = hooks.arrivals('C');
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        int received = hooks.received('C');
        System.out.printf("drain: the last webhook arrived %.2f s after the last publish; emails: %d of %d accepted, "
                        + "%.2f s after%n", (lastArrival - sendEnd) / 1000.0, drain.emails(), emailC ? published : 0,
                drain.emailsDoneMs() / 1000.0);
        System.out.printf("latency publish (occurredAt) → webhook arrival, events of the measured window (ms): %s%n",
                percentiles((mine.stream().filter(x -> x.occurredAt() >= measureFrom)
                        .map(x -> x.arrivedAt() - x.occurredAt()).toList())));
        System.out.printf("webhooks per second of the phase (warm-up included): %s%n",
                perSecond(mine, t0, lastArrival));
        boolean kept = rateC > 0 && hookRate >= 0.95 * measured * 1000.0 / windowMs && lastArrival - sendEnd <= 2000;
        System.out.printf("webhooks kept up with %s: %s%n", rateC > 0 ? String.format("%.0f events/s", rateC)
                : "the publisher", kept ? "yes" : "no");
        return report.verdict("C", received == published && (!emailC || drain.emails() >= published));
    }
}
