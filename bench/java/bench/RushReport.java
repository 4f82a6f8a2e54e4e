package bench;

import bench.RushClient.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The figures of one rush, printed (the lines bench/rush.sh and bench/README.md quote) and, with --results, a TSV row
 * appended to that file (and a row per wave to waves.tsv beside it): the outcome counts against the expected ones,
 * latencies, the proxy's and DynamoDB Local's counters, the CPU the rush cost, and how far it is from its bounds.
 */
final class RushReport {

    private final RushOptions options;
    private final Answer[] answers;
    private final long rushStart;
    private final long[] waveStarts;
    private final RushMeters.Change cost;
    /** s from the rush start to the last answer */
    private final double settle;
    /** s from the rush start to the last seat given */
    private final double lastSeat;
    private final int enrolled;
    private final int waitlisted;
    private final int full;
    private final int conflictOther;
    private final int busy;
    private final int other5xx;
    private final int failed;
    private final int rest;
    private final int expectSeats;
    private final int expectWait;
    private final boolean countsOk;
    /** the proxy's transactions forwarded and conflicts (retried) during the rush */
    private final long forwarded;
    private final long conflicts;
    private final long dynamoRequests;
    /** DynamoDB Local's requests other than TransactWriteItems */
    private final long dynamoReads;

    /**
     * The figures of a rush.
     *
     * @param answers every student's answer
     * @param rushStart when the rush (its first wave) was released, System.nanoTime
     * @param waveStarts each wave's start, with --waves
     * @param cost the meters read right before the rush against right after it
     */
    RushReport(RushOptions options, Answer[] answers, long rushStart, long[] waveStarts, RushMeters.Change cost) {
        this.options = options;
        this.answers = answers;
        this.rushStart = rushStart;
        this.waveStarts = waveStarts;
        this.cost = cost;
        settle = (Arrays.stream(answers).mapToLong(Answer::doneNs).max().orElse(rushStart) - rushStart) / 1e9;
        lastSeat = Arrays.stream(answers).filter(a -> a.status() == 201).mapToLong(Answer::doneNs).max()
                .orElse(rushStart) / 1e9 - rushStart / 1e9;
        enrolled = count(answers, s -> s == 201);
        waitlisted = count(answers, s -> s == 202);
        full = (int) Arrays.stream(answers).filter(a -> a.status() == 409 && "class-full".equals(a.code())).count();
        conflictOther = count(answers, s -> s == 409) - full;
        busy = count(answers, s -> s == 503);
        other5xx = count(answers, s -> s >= 500 && s != 503);
        failed = count(answers, s -> s < 0);
        rest = options.students - enrolled - waitlisted - full - conflictOther - busy - other5xx - failed;
        int seats = 0;
        int waiting = 0;
        for (int c = 0; c < options.classes; c++) {
            seats += options.expectedSeats(c);
            waiting += options.expectedWaiting(c);
        }
        expectSeats = seats;
        expectWait = waiting;
        countsOk = enrolled == expectSeats && waitlisted == expectWait && full == expectFull();
        forwarded = cost.proxy("transactionsForwarded");
        conflicts = cost.proxy("transactionConflicts");
        long requests = 0;
        long reads = 0;
        for (String op : cost.dynamoOps()) {
            long n = Math.max(0, cost.dynamo(op + ".requests"));
            requests += n;
            reads += op.equals("TransactWriteItems") ? 0 : n;
        }
        dynamoRequests = requests;
        dynamoReads = reads;
    }

    /**
     * Prints the figures and appends the TSV rows.
     *
     * @param wrongClasses how many classes the stores hold wrong (seats or waiting list)
     * @return the exit code: 0 when the counts and the stored state are the expected ones and every student got an
     *     answer other than 5xx, else 1
     * @throws IOException when --results cannot be written
     */
    int print(int wrongClasses) throws IOException {
        printOutcomes(wrongClasses);
        double[] all = latencies(answers, s -> true, false);
        double[] seat = latencies(answers, s -> s == 201, false);
        double[] noSeat = latencies(answers, s -> s == 202 || s == 409, false);
        System.out.printf("latency (request sent → answer), ms: all %s | 201 seat %s | "
                        + "202+409 no seat change %s%n",
                pcts(all), pcts(seat), pcts(noSeat));
        double[] noSeatLate = Arrays.stream(answers)
                .filter(a -> (a.status() == 202 || a.status() == 409)
                        && a.sentNs() / 1e9 - rushStart / 1e9 > lastSeat)
                .mapToDouble(Answer::latencyMs).sorted().toArray();
        System.out.printf("202+409 sent after the last seat was given (no seat queue left to wait in), ms: %s%n",
                pcts(noSeatLate));
        System.out.printf("since the rush start (client queue included), ms: all %s | 201 %s | 202+409 %s%n",
                pcts(latencies(answers, s -> true, true)), pcts(latencies(answers, s -> s == 201, true)),
                pcts(latencies(answers, s -> s == 202 || s == 409, true)));
        if (options.proxy != null) {
            System.out.printf("proxy: transactionsForwarded %d, transactionConflicts %d (retried), "
                            + "conflictExceptions %d, inProgress %d, throttled %d; attempts per seat "
                            + "(forwarded+conflicts)/seats = %.2f%n", forwarded, conflicts,
                    cost.proxy("transactionConflictExceptions"), cost.proxy("transactionsInProgress"),
                    cost.proxy("throttled"), attempts());
        }
        if (options.dynamodb != null) {
            printDynamoDb();
        }
        printCpu();
        printBounds();
        if (options.waves > 0) {
            printWaves();
        }
        if (options.results != null) {
            String line = String.join("\t", options.label, Integer.toString(options.bases.size()),
                    options.proxy == null ? "-" : options.latencyMs + " ms", String.format("%.2f", settle),
                    String.format("%.2f", lastSeat),
                    bound() == 0 ? "-" : String.format("%.2f", bound()), ratio(),
                    localBound() == 0 ? "-" : String.format("%.2f", localBound()),
                    localBound() == 0 ? "-" : String.format("%.2f", settle / localBound()),
                    pct(all, 50) + " / " + pct(all, 99), pct(seat, 50) + " / " + pct(seat, 99),
                    pct(noSeat, 50) + " / " + pct(noSeat, 99),
                    enrolled + "/" + waitlisted + "/" + full + "/" + busy + "/" + other5xx
                            + (conflictOther + failed + rest > 0
                            ? " (+" + (conflictOther + failed + rest) + " other)" : ""),
                    options.proxy == null ? "-" : Long.toString(forwarded),
                    options.proxy == null ? "-" : Long.toString(conflicts),
                    options.proxy == null ? "-" : String.format("%.2f", attempts()),
                    options.dynamodb == null ? "-" : String.format("%.0f", dynamoRequests / settle),
                    countsOk && wrongClasses == 0 ? "OK" : "WRONG");
            Files.writeString(options.results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return countsOk && wrongClasses == 0 && busy == 0 && other5xx == 0 && failed == 0 ? 0 : 1;
    }

    private int expectFull() {
        return options.students - expectSeats - expectWait;
    }

    /** (forwarded + conflicts) / seats: the transactions the proxy saw per seat given */
    private double attempts() {
        return enrolled == 0 ? 0 : (double) (forwarded + conflicts) / enrolled;
    }

    private void printOutcomes(int wrongClasses) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Answer a : answers) {
            outcomes.merge(a.status() + (a.code() == null ? "" : " " + a.code()), 1, Integer::sum);
        }
        System.out.printf("== %s: %d students, %d class(es) of %d seats, %d instance(s), %d in flight at most, "
                        + "proxy transaction latency %s%n", options.label, options.students, options.classes,
                options.capacity, options.bases.size(), options.concurrency,
                options.proxy == null ? "none" : options.latencyMs + " ms");
        System.out.printf("settled: every student answered %.2f s after the start (the last seat was given at "
                + "%.2f s)%n", settle, lastSeat);
        System.out.printf("outcomes: %s%n", outcomes);
        System.out.printf("  201 %d / 202 %d / 409 class-full %d / 409 other %d / 503 %d / other 5xx %d / "
                        + "no answer %d / other %d  (expected %d/%d/%d/0/0/0/0/0: %s); stored state %s%n",
                enrolled, waitlisted, full, conflictOther, busy, other5xx, failed, rest, expectSeats, expectWait,
                expectFull(), countsOk ? "OK" : "MISMATCH",
                wrongClasses == 0 ? "OK (every class: seats and waiting list as expected)"
                        : "WRONG in " + wrongClasses + " class(es)");
    }

    private void printDynamoDb() {
        StringBuilder ops = new StringBuilder();
        for (String op : cost.dynamoOps()) {
            long n = cost.dynamo(op + ".requests");
            if (n > 0) {
                ops.append(String.format(" %s %d (mean %.1f ms in DynamoDB Local)", op, n,
                        cost.dynamo(op + ".nanos") / 1e6 / n));
            }
        }
        System.out.printf("DynamoDB Local: %d requests in %.2f s = %.0f req/s, at most %d in flight;%s%n",
                dynamoRequests, settle, dynamoRequests / settle, cost.after().dynamo().getOrDefault("maxInFlight", 0L),
                ops);
    }

    /** The cores each process kept busy, the machine's, the other busy processes, and the CPU per student. */
    private void printCpu() {
        double ticks = RushMeters.CLOCK_TICKS;
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder cpu = new StringBuilder();
        double mine = 0;
        for (String name : cost.after().cpu().keySet()) {
            double busyCores = cost.cpu(name) / ticks / settle;
            mine += busyCores;
            cpu.append(String.format(" %s %.2f,", name, busyCores));
        }
        long[] machineBefore = cost.before().machine();
        long[] machineAfter = cost.after().machine();
        double machine = machineAfter[1] == machineBefore[1] ? 0
                : (double) (machineAfter[0] - machineBefore[0]) / (machineAfter[1] - machineBefore[1]) * cores;
        double irq = machineAfter[1] == machineBefore[1] ? 0
                : (double) (machineAfter[2] - machineBefore[2]) / (machineAfter[1] - machineBefore[1]) * cores;
        System.out.printf("CPU (cores busy on average over the rush, of %d):%s machine %.2f, of which not in "
                        + "these processes %.2f (interrupts/softirq, mostly loopback TCP, %.2f; the rest kernel "
                        + "threads or other processes)%n", cores, cpu, machine,
                Math.max(0, machine - mine), irq);
        List<String> others = new ArrayList<>();
        cost.after().processes().forEach((pid, now) -> {
            String[] then = cost.before().processes().get(pid);
            double busyCores = (Long.parseLong(now[1]) - (then == null ? 0 : Long.parseLong(then[1])))
                    / ticks / settle;
            if (!options.pids.containsValue(pid) && pid != ProcessHandle.current().pid() && busyCores >= 0.05) {
                others.add(String.format("%.2f %s (pid %d)", busyCores, now[0], pid));
            }
        });
        others.sort(Comparator.reverseOrder());
        if (!others.isEmpty()) {
            System.out.printf("other processes busy during the rush (cores): %s%n",
                    String.join(", ", others.subList(0, Math.min(4, others.size()))));
        }
        StringBuilder perStudent = new StringBuilder();
        for (String name : cost.after().cpu().keySet()) {
            perStudent.append(String.format(" %s %.1f,", name, cost.cpu(name) / ticks * 1000 / options.students));
        }
        System.out.printf("CPU per student, ms:%s all processes %.1f, machine %.1f%n", perStudent,
                mine * settle * 1000 / options.students, machine * settle * 1000 / options.students);
    }

    /** The seats of the fullest class: one class item, one transaction at a time. */
    private int hotSeats() {
        return Math.min(options.capacity, (options.students + options.classes - 1) / options.classes);
    }

    /** s the hot class's seats need through the proxy's latency alone; 0 without a proxy latency */
    private double bound() {
        return options.proxy == null || options.latencyMs == 0 ? 0
                : (double) hotSeats() * options.latencyMs / 1000;
    }

    private String ratio() {
        return bound() == 0 ? "-" : String.format("%.2f", settle / bound());
    }

    /** s at least with DynamoDB Local's own times (the probe's figures); 0 without them */
    private double localBound() {
        return options.txMs <= 0 ? 0 : Math.max(chain(), work());
    }

    /**
     * What DynamoDB Local adds (the probe's figures): the proxy holds each transaction for the latency and then
     * DynamoDB Local runs it, so one class's seats take ≥ seats × (latency + its own transaction time).
     */
    private double chain() {
        return hotSeats() * (options.latencyMs + options.txMs) / 1000;
    }

    /** And all the work it got cannot go faster than its own rates. */
    private double work() {
        return options.txRate <= 0 || options.getRate <= 0 ? 0
                : transactions() / options.txRate + dynamoReads / options.getRate;
    }

    private long transactions() {
        return options.proxy == null ? enrolled : forwarded;
    }

    private void printBounds() {
        double bound = bound();
        if (bound > 0) {
            System.out.printf("bound: one hot class item takes one transaction per %d ms, so its %d seats need "
                            + "≥ %.2f s; settle/bound = %s (aim ≤ 1.5: %s); last seat/bound = %.2f%n",
                    options.latencyMs, hotSeats(), bound, ratio(), settle / bound <= 1.5 ? "met" : "NOT met",
                    lastSeat / bound);
        }
        double localBound = localBound();
        if (localBound > 0) {
            System.out.printf("bound with DynamoDB Local (probe: %.1f ms per transaction alone, %.0f "
                            + "transactions/s and %.0f reads/s at 32 in flight): max(%d seats × (%d + %.1f) ms = "
                            + "%.2f s, %d transactions / %.0f/s + %d reads / %.0f/s = %.2f s) = %.2f s; "
                            + "settle/that = %.2f%n",
                    options.txMs, options.txRate, options.getRate, hotSeats(), options.latencyMs, options.txMs,
                    chain(), transactions(), options.txRate, dynamoReads, options.getRate, work(), localBound,
                    settle / localBound);
        }
    }

    /** One line per wave: settled (s from its window opening), latency p50/p99, since the opening, outcomes. */
    private void printWaves() throws IOException {
        int waves = options.waves;
        int gapSeconds = options.gapSeconds;
        int perWave = options.students / waves;
        for (int w = 0; w < waves; w++) {
            Answer[] wave = Arrays.copyOfRange(answers, w * perWave, (w + 1) * perWave);
            long start = waveStarts[w];
            double settled = (Arrays.stream(wave).mapToLong(Answer::doneNs).max().orElse(start) - start) / 1e9;
            double[] latency = latencies(wave, s -> true, false);
            double[] sinceOpening = Arrays.stream(wave).filter(a -> a.status() > 0)
                    .mapToDouble(a -> (a.doneNs() - start) / 1e6).sorted().toArray();
            String outcomes = count(wave, s -> s == 201) + "/" + count(wave, s -> s == 202) + "/"
                    + count(wave, s -> s == 409) + "/" + count(wave, s -> s == 403) + "/"
                    + count(wave, s -> s >= 500 || s < 0);
            System.out.printf("wave %d of %d (opens +%d s): %d students, settled %.2f s after its opening; "
                            + "latency ms %s; since the opening ms %s; 201/202/409/403/5xx or none %s%n", w + 1,
                    waves, w * gapSeconds, perWave, settled, pcts(latency), pcts(sinceOpening), outcomes);
            if (options.results != null) {
                Files.writeString(options.results.resolveSibling("waves.tsv"), String.join("\t", options.label,
                                Integer.toString(w + 1), "+" + w * gapSeconds + " s", Integer.toString(perWave),
                                String.format(Locale.ROOT, "%.2f", settled),
                                pct(latency, 50) + " / " + pct(latency, 99),
                                pct(sinceOpening, 50) + " / " + pct(sinceOpening, 99), outcomes) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    private static int count(Answer[] answers, IntPredicate test) {
        return (int) Arrays.stream(answers).filter(a -> test.test(a.status())).count();
    }

    private static double[] latencies(Answer[] answers, IntPredicate test, boolean sinceStart) {
        long start = Arrays.stream(answers).mapToLong(Answer::sentNs).min().orElse(0);
        return Arrays.stream(answers).filter(a -> a.status() > 0 && test.test(a.status()))
                .mapToDouble(a -> sinceStart ? (a.doneNs() - start) / 1e6 : a.latencyMs()).sorted().toArray();
    }

    private static String pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        double v = Percentiles.of(sorted, p);
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pcts(double[] sorted) {
        return sorted.length == 0 ? "(none)"
                : String.format("n=%d p50 %s p99 %s max %s", sorted.length, pct(sorted, 50), pct(sorted, 99),
                pct(sorted, 100));
    }
}
