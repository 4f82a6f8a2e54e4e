package bench;

import bench.HookReceiver.Arrival;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What NotifyBench's stand-ins received, waited for and reported: the webhooks (the {@link HookReceiver}), the emails
 * (the {@link MailSink}) and when the events reached the broker (the {@link BrokerTap}); each phase's drain, latency
 * lines and verdict.
 */
final class NotifyReport {

    /** The emails accepted, and ms from the phase's last send until all expected were (or until the drain ended). */
    record Drain(int emails, long emailsDoneMs) {
    }

    final HookReceiver hooks;
    final MailSink mail;
    private final BrokerTap tap;
    private final int drainSeconds;

    NotifyReport(HookReceiver hooks, MailSink mail, BrokerTap tap, int drainSeconds) {
        this.hooks = hooks;
        this.mail = mail;
        this.tap = tap;
        this.drainSeconds = drainSeconds;
    }

    /**
     * Waits until every expected webhook (and, with {@code emails}, every email) of the phase arrived, or nothing
     * arrived for 20 s, or {@code drainSeconds} passed. Emails are counted every 500 ms (counting walks GreenMail's
     * store).
     *
     * @param mailBefore the sink's count before the phase
     * @param from when the phase's last event was sent (System.currentTimeMillis)
     */
    Drain drain(char phase, int expected, int mailBefore, long from, boolean emails) throws InterruptedException {
        long deadline = from + drainSeconds * 1000L;
        long lastProgress = System.currentTimeMillis();
        int lastSeen = -1;
        int accepted = 0;
        long emailsDone = -1;
        while (System.currentTimeMillis() < deadline) {
            accepted = mail.count() - mailBefore;
            if (accepted >= expected && emailsDone < 0) {
                emailsDone = System.currentTimeMillis() - from;
            }
            int hooksSeen = hooks.received(phase);
            if (hooksSeen + accepted != lastSeen) {
                lastSeen = hooksSeen + accepted;
                lastProgress = System.currentTimeMillis();
            }
            if (hooksSeen >= expected && (!emails || accepted >= expected)) {
                break;
            }
            if (System.currentTimeMillis() - lastProgress > 20_000) {
                System.out.printf("!! nothing arrived for 20 s: %d of %d webhooks, %d of %d emails%n",
                        hooksSeen, expected, accepted, expected);
                break;
            }
            Thread.sleep(500);
        }
        if (System.currentTimeMillis() >= deadline) {
            System.out.printf("!! drain stopped after %d s: %d of %d webhooks, %d of %d emails%n", drainSeconds,
                    hooks.received(phase), expected, accepted, expected);
        }
        return new Drain(accepted, emailsDone < 0 ? System.currentTimeMillis() - from : emailsDone);
    }

    /** Prints the phase's verdict line and returns {@code complete}. */
    boolean verdict(String phase, boolean complete) {
        System.out.printf("phase %s: %s; duplicates %d, bad signatures %d, webhooks of unknown classes %d%n", phase,
                complete ? "every event delivered" : "!! NOT EVERY EVENT DELIVERED within the drain time",
                hooks.duplicates(), hooks.badSignatures(), hooks.unknownHooks());
        return complete;
    }

    /** The latency lines of these arrivals: from the event, split at the broker when tapped, and from the drop. */
    void printLatencies(List<Arrival> mine) {
        System.out.printf("latency occurredAt → webhook arrival (ms): %s%n",
                percentiles((mine.stream().map(x -> x.arrivedAt() - x.occurredAt()).toList())));
        if (!tap.isEmpty()) {
            List<Long> toBroker = new ArrayList<>();
            List<Long> fromBroker = new ArrayList<>();
            for (Arrival a : mine) {
                Long at = tap.atBroker(a.id());
                if (at != null) {
                    toBroker.add(at - a.occurredAt());
                    fromBroker.add(a.arrivedAt() - at);
                }
            }
            System.out.printf("  of which occurredAt → at the broker (tap queue): %s%n",
                    percentiles((toBroker)));
            System.out.printf("  and broker → webhook arrival: %s%n", percentiles((fromBroker)));
            System.out.printf("  events the broker got more than once so far (outbox sweep): %d%n", tap.republished());
        }
        System.out.printf("latency drop request sent → webhook arrival (ms): %s%n", percentiles((
                mine.stream().filter(x -> x.dropSent() > 0).map(x -> x.arrivedAt() - x.dropSent()).toList())));
    }

    /** "n=… p50=… p90=… p99=… max=…" of the samples (ms), or "no samples". */
    static String percentiles(Collection<Long> samples) {
        if (samples.isEmpty()) {
            return "no samples";
        }
        double[] sorted = Percentiles.sorted(samples);
        return String.format("n=%d p50=%.0f p90=%.0f p99=%.0f max=%.0f", sorted.length, Percentiles.of(sorted, 50),
                Percentiles.of(sorted, 90), Percentiles.of(sorted, 99), Percentiles.of(sorted, 100));
    }

    /** The arrivals in each second from {@code t0} to {@code last}, space-separated. */
    static String perSecond(List<Arrival> arrived, long t0, long last) {
        Map<Long, Integer> buckets = new TreeMap<>();
        for (Arrival a : arrived) {
            buckets.merge((a.arrivedAt() - t0) / 1000, 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        for (long sec = 0; sec <= (last - t0) / 1000; sec++) {
            s.append(sec == 0 ? "" : " ").append(buckets.getOrDefault(sec, 0));
        }
        return s.toString();
    }
}
