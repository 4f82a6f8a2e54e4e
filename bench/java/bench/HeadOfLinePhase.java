package bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * NotifyBench's phase H, head-of-line blocking (needs --amqp): for each N of --h-hanging, N webhook subscriptions
 * whose targets are paths of the webhook receiver (/hang/i: one host:port with the healthy target) that accept the
 * request and never answer, and one healthy subscription; every --h-period ms one event per subscription is
 * published straight to `notify`, for --h-duration s; reported: the healthy webhooks' latency (publish → arrival)
 * p50 / p99 / max.
 */
final class HeadOfLinePhase extends NotifyPhase {

    HeadOfLinePhase(NotifyOptions options, NotifyClient load, NotifyReport report) {
        super(options, load, report);
    }

    /** Runs the phase once per N of --h-hanging; returns whether every healthy webhook arrived, for every N. */
    boolean run(Connection amqp) throws Exception {
        boolean ok = true;
        for (int n : options.hangingCounts) {
            try {
                ok &= run(amqp, n);
            } finally {
                hooks.releaseHanging();
            }
        }
        return ok;
    }

    /** One run with {@code n} hanging targets; returns whether every healthy webhook arrived. */
    private boolean run(Connection amqp, int n) throws Exception {
        int periodH = options.periodH;
        int durationH = options.durationH;
        List<long[]> pairs = new ArrayList<>();
        long classId = 0;
        for (int i = 0; i < n; i++) {
            if (i % options.waiting == 0) {
                classId = load.newClass('h');
            }
            long student = load.newStudent();
            load.subscribeTo(classId, student, hooks.hangingUrl(i));
            pairs.add(new long[] {student, classId});
        }
        long healthyClass = load.newClass('H');
        long healthy = load.newStudent();
        load.subscribe(healthyClass, healthy, load.token(healthy), false);
        System.out.printf("%n== phase H, N = %d: %d hanging paths + 1 healthy on one host, one event each every %d ms "
                + "for %d s%n", n, n, periodH, durationH);
        Channel ch = amqp.createChannel();
        ch.confirmSelect();
        long t0 = System.currentTimeMillis();
        int rounds = 0;
        while (System.currentTimeMillis() < t0 + durationH * 1000L) {
            for (long[] pair : pairs) {
                publish(ch, "Notify bench H", pair[0], pair[1]);
            }
            publish(ch, "Notify bench H", healthy, healthyClass);
            rounds++;
            ch.waitForConfirms(10_000);
            sleep(Math.max(0, t0 + (long) rounds * periodH - System.currentTimeMillis()));
        }
        ch.close();
        long deadline = System.currentTimeMillis() + 30_000;
        while (healthyArrivals(t0).size() < rounds && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        List<Long> latencies = healthyArrivals(t0).stream().map(x -> x.arrivedAt() - x.occurredAt()).toList();
        double[] sorted = Percentiles.sorted(latencies);
        System.out.printf("healthy webhooks: %d of %d arrived within the run and 30 s after; latency publish → "
                + "arrival (ms): %s; requests the hanging paths accepted: %d%n", latencies.size(), rounds,
                sorted.length == 0 ? "none arrived" : String.format("p50 %.0f, p99 %.0f, max %.0f",
                        Percentiles.of(sorted, 50), Percentiles.of(sorted, 99), Percentiles.of(sorted, 100)),
                hooks.hanging());
        System.out.printf("the slowest healthy webhooks (published at +s: latency ms): %s%n",
                healthyArrivals(t0).stream()
                        .sorted((x, y) -> Long.compare(y.arrivedAt() - y.occurredAt(), x.arrivedAt() - x.occurredAt()))
                        .limit(5).map(x -> String.format("+%.1f: %d", (x.occurredAt() - t0) / 1000.0,
                                x.arrivedAt() - x.occurredAt())).toList());
        return report.verdict("H (N = " + n + ")", latencies.size() == rounds);
    }

    /** The healthy webhooks of events published since {@code t0}. */
    private List<HookReceiver.Arrival> healthyArrivals(long t0) {
        return hooks.arrivals('H').stream().filter(x -> x.occurredAt() >= t0).toList();
    }
}
