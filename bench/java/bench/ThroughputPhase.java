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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** NotifyBench's phase B, throughput: --b-concurrency drop loops as fast as the API answers. */
final class ThroughputPhase extends NotifyPhase {

    ThroughputPhase(NotifyOptions options, NotifyClient load, NotifyReport report) {
        super(options, load, report);
    }

    /**
     * Runs the phase on these classes and prints its figures.
     *
     * @return whether every event's webhook and email arrived
     */
    boolean run(List<Course> courses) throws Exception {
        int concurrencyB = options.concurrencyB;
        int durationB = options.durationB;
        int waiting = options.waiting;
        System.out.printf("== phase B: %d concurrent drop loops for %d s over %d classes (%d events at most)%n",
                concurrencyB, durationB, courses.size(), courses.size() * waiting);
        int mailBefore = mail.count();
        ConcurrentLinkedQueue<Course> free = new ConcurrentLinkedQueue<>(courses);
        AtomicInteger events = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> answerTimes = new ConcurrentLinkedQueue<>();
        AtomicLong exhaustedAt = new AtomicLong();
        long t0 = System.currentTimeMillis();
        long end = t0 + durationB * 1000L;
        int maxDrops = courses.size() * waiting;
        ExecutorService loops = Executors.newFixedThreadPool(concurrencyB);
        for (int i = 0; i < concurrencyB; i++) {
            loops.submit(() -> {
                while (System.currentTimeMillis() < end && sent.get() < maxDrops) {
                    Course c = free.poll();
                    if (c == null) {
                        if (events.get() + failed.get() >= maxDrops) {
                            break;
                        }
                        sleep(1);
                        continue;
                    }
                    sent.incrementAndGet();
                    long sentAt = System.currentTimeMillis();
                    hooks.dropSent(c.students[c.seated + 1], sentAt);
                    try {
                        HttpResponse<String> resp = load.http.send(load.drop(c), HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() == 200) {
                            c.seated++;
                            events.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            failures.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        failures.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                    }
                    answerTimes.add(System.currentTimeMillis() - sentAt);
                    if (!c.exhausted()) {
                        free.add(c);
                    } else if (free.isEmpty()) {
                        exhaustedAt.compareAndSet(0, System.currentTimeMillis());
                    }
                }
                return null;
            });
        }
        loops.shutdown();
        loops.awaitTermination(durationB + 60L, TimeUnit.SECONDS);
        loops.shutdownNow();
        long sendEnd = System.currentTimeMillis();
        long windowEnd = Math.min(end, sendEnd);
        long windowMs = windowEnd - t0;
        int hooksInWindow = (int) hooks.arrivals('B').stream().filter(x -> x.arrivedAt() <= windowEnd).count();
        int mailInWindow = mail.count() - mailBefore;
        long mailCountedAt = System.currentTimeMillis();

        System.out.printf("drops: %d answered 200 in %.1f s = %.1f drops/s; failed: %s%s%n", events.get(),
                (sendEnd - t0) / 1000.0, events.get() * 1000.0 / (sendEnd - t0), failures,
                exhaustedAt.get() > 0 ? String.format(" (supply of waiting students exhausted after %.1f s)",
                        (exhaustedAt.get() - t0) / 1000.0) : "");
        System.out.printf("drop answer time (ms): %s%n", percentiles((answerTimes)));
        NotifyReport.Drain drain = report.drain('B', events.get(), mailBefore, sendEnd, true);
        List<Arrival> mine = hooks.arrivals('B');
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        int received = hooks.received('B');
        System.out.printf("webhooks received in the %.1f s window: %d = %.1f webhooks/s (over %d connections)%n",
                windowMs / 1000.0, hooksInWindow, hooksInWindow * 1000.0 / windowMs, hooks.connections('B'));
        System.out.printf("emails accepted by the window's end (counted %d ms after it): %d = %.1f emails/s%n",
                mailCountedAt - windowEnd, mailInWindow, mailInWindow * 1000.0 / windowMs);
        System.out.printf("drain: last webhook %.2f s after the window (all %d over %.1f s = %.1f/s); "
                        + "%d emails, the last accepted %.2f s after the window%n",
                (lastArrival - windowEnd) / 1000.0, received, (lastArrival - t0) / 1000.0,
                received * 1000.0 / Math.max(1, lastArrival - t0), drain.emails(), drain.emailsDoneMs() / 1000.0);
        report.printLatencies(mine);
        System.out.printf("webhooks per second of the phase: %s%n", perSecond(mine, t0, lastArrival));
        return report.verdict("B", received == events.get() && drain.emails() == events.get());
    }
}
