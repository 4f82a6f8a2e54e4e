package bench;

import static bench.NotifyReport.perSecond;
import static bench.NotifyReport.percentiles;

import bench.HookReceiver.Arrival;
import bench.NotifyClient.Course;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NotifyBench's phase A, latency: drops at a fixed rate (open loop, round-robin over the classes, at most one drop per
 * class in flight); latency = webhook arrival − the event's occurredAt (the promotion), split at the broker when
 * --amqp is given.
 */
final class LatencyPhase extends NotifyPhase {

    private double achieved;

    LatencyPhase(NotifyOptions options, NotifyClient load, NotifyReport report) {
        super(options, load, report);
    }

    /** Drops answered 200 per second ({@link #run} first). */
    double achieved() {
        return achieved;
    }

    /**
     * Runs the phase on these classes and prints its figures.
     *
     * @return whether every event's webhook and email arrived
     */
    boolean run(List<Course> courses) throws Exception {
        double rate = options.rate;
        int durationA = options.durationA;
        int target = (int) Math.round(rate * durationA);
        System.out.printf("== phase A: %d drops at %.0f/s for %d s over %d classes%n", target, rate, durationA,
                courses.size());
        int mailBefore = mail.count();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger noFreeClass = new AtomicInteger();
        Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> answerTimes = new ConcurrentLinkedQueue<>();
        int[] cursor = {0};
        long t0 = System.currentTimeMillis();
        long end = t0 + durationA * 1000L;
        CountDownLatch done = new CountDownLatch(1);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = Math.max(1, (long) (1e9 / rate));
        ScheduledFuture<?> task = ticker.scheduleAtFixedRate(() -> {
            if (sent.get() >= target || System.currentTimeMillis() >= end) {
                done.countDown();
                return;
            }
            Course course = null;
            for (int tries = 0; tries < courses.size(); tries++) {
                Course c = courses.get(cursor[0]);
                cursor[0] = (cursor[0] + 1) % courses.size();
                if (!c.exhausted() && c.inFlight.compareAndSet(false, true)) {
                    course = c;
                    break;
                }
            }
            if (course == null) {
                noFreeClass.incrementAndGet();   // every class has its drop still in flight: the API falls behind
                return;
            }
            sent.incrementAndGet();
            Course c = course;
            long sentAt = System.currentTimeMillis();
            hooks.dropSent(c.students[c.seated + 1], sentAt);
            load.http.sendAsync(load.drop(c), HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                answerTimes.add(System.currentTimeMillis() - sentAt);
                if (err == null && resp.statusCode() == 200) {
                    c.seated++;
                    events.incrementAndGet();
                } else {
                    failures.computeIfAbsent(err != null ? -1 : resp.statusCode(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
                answered.incrementAndGet();
                c.inFlight.set(false);
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await(durationA + 5L, TimeUnit.SECONDS);
        task.cancel(false);
        ticker.shutdownNow();
        long sendEnd = System.currentTimeMillis();
        long answerDeadline = sendEnd + 60_000;
        while (answered.get() < sent.get() && System.currentTimeMillis() < answerDeadline) {
            Thread.sleep(5);
        }
        long sendingMs = sendEnd - t0;
        achieved = events.get() * 1000.0 / Math.max(1, System.currentTimeMillis() - t0);
        System.out.printf("drops sent: %d in %.1f s = %.1f/s (asked %.0f/s); answered 200: %d; failed: %s; "
                        + "ticks skipped because every class had a drop in flight: %d%n",
                sent.get(), sendingMs / 1000.0, sent.get() * 1000.0 / sendingMs, rate, events.get(), failures,
                noFreeClass.get());
        System.out.printf("drop answer time (ms): %s%n", percentiles((answerTimes)));

        NotifyReport.Drain drain = report.drain('A', events.get(), mailBefore, sendEnd, true);
        List<Arrival> mine = hooks.arrivals('A');
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        System.out.printf("events (promotions): %d, webhooks received: %d (over %d connections), emails accepted: %d%n",
                events.get(), hooks.received('A'), hooks.connections('A'), drain.emails());
        report.printLatencies(mine);
        System.out.printf("last webhook arrived %.2f s after the last drop was sent; all emails accepted %.2f s "
                        + "after%n",
                (lastArrival - sendEnd) / 1000.0, drain.emailsDoneMs() / 1000.0);
        System.out.printf("webhooks per second of the phase: %s%n", perSecond(mine, t0, lastArrival));
        return report.verdict("A", hooks.received('A') == events.get() && drain.emails() == events.get());
    }
}
