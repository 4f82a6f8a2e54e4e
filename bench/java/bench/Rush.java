package bench;

import bench.RushClient.Answer;
import bench.RushClient.Target;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The rush of RushBench's mode rush: C classes of capacity K; student i asks for class i % C through instance
 * (i / C) % instances, so every class gets students from every instance (conflicts only happen across instances). A
 * pool of --concurrency threads sends the requests, all released at once: at most that many are in flight, the rest
 * wait in the client. Latency = request sent → answer received (per request); "since start" = rush start → answer
 * (what a student who clicked at the start sees, client queue included). Expected per class with s students:
 * min(s, K) 201, min(s - K, 15) 202, the rest 409 class-full.
 *
 * The students are real: with --dynamodb, every student this program mints a token for (warm-up included) gets a user
 * row with the Student role, written straight into the instances' users table (support.StoredStudents; the table of
 * --store-prefix, default rush-, the STORE_PREFIX bench/rush.sh gives its instances) before its requests are sent,
 * so the registrar's operations on them (the window import below) find them (docs/api.md "Registration windows and
 * holds": student-not-found otherwise). Each student asks for one class only, of 3 credits (the default) with a
 * course code of its own, so the registration rules (docs/api.md "Registration rules") refuse none of them.
 *
 * With --waves W (needs --dynamodb) the rush is staged by registration windows, as campuses run registration day:
 * the registrar imports a window for every student (POST /registrar/registration-windows, CSV; since the import
 * checks that every student exists, its BatchGetItems are in the run's DynamoDB counts beside its BatchWriteItems),
 * students i·W/N of wave w opening --gap seconds after wave w−1 (W = 1: everyone's window opens at the same moment,
 * the reference), and each wave's students click when their window opens (their own pool of --concurrency threads).
 * Each wave is reported on its own: seconds from its window opening to its last answer, latency p50/p99 (sent →
 * answered, and since the window opened), outcomes; a line per wave goes to the file beside --results named
 * waves.tsv.
 */
final class Rush {

    private final RushOptions options;

    Rush(RushOptions options) {
        this.options = options;
    }

    /**
     * The whole run, setup and checks included, bounded by a watchdog.
     *
     * @return the exit code: 0 when every outcome and the stored state are the expected ones, else 1
     * @throws Exception when the setup fails (the service refuses the registrar, a class, the window import)
     */
    int run() throws Exception {
        long limitMs = (120L + 2L * options.timeoutSeconds
                + (long) Math.max(0, options.waves - 1) * options.gapSeconds) * 1000;
        Thread watchdog = Client.watchdog(limitMs);
        try (RushClient load = new RushClient(options)) {
            return rush(load);
        } finally {
            watchdog.interrupt();
        }
    }

    private int rush(RushClient load) throws Exception {
        load.client.signIn(options.bases.get(0), "rush");
        warmUp(load);

        long[] courseIds = new long[options.classes];
        ExecutorService setup = Executors.newFixedThreadPool(8);
        List<Future<Long>> made = new ArrayList<>();
        for (int c = 0; c < options.classes; c++) {
            made.add(setup.submit(() -> load.newClass(options.capacity)));
        }
        for (int c = 0; c < options.classes; c++) {
            courseIds[c] = made.get(c).get();
        }
        setup.shutdown();
        long t = System.nanoTime();
        long firstStudent = load.students(options.students);
        String[] tokens = load.tokens(firstStudent, options.students);
        System.out.printf("setup: %d classes of %d seats, %d student tokens minted%s in %.1f s%n", options.classes,
                options.capacity, options.students, options.dynamodb == null ? "" : " and their user rows written",
                (System.nanoTime() - t) / 1e9);
        Thread.sleep(1000);   // let the warm-up's tail (GC, JIT) settle

        RushMeters meters = new RushMeters(load.http, options);
        RushMeters.Sample before = meters.before();
        Target target = i -> new long[] {courseIds[i % options.classes], (i / options.classes) % options.bases.size()};
        long[] waveStarts = new long[Math.max(1, options.waves)];
        Answer[] answers = options.waves == 0 ? null : staged(load, firstStudent, tokens, target, waveStarts);
        long rushStart = options.waves == 0 ? System.nanoTime() : waveStarts[0];
        if (options.waves == 0) {
            answers = load.fire(options.students, options.concurrency, target, tokens);
        }
        RushMeters.Change cost = meters.since(before);
        int wrongClasses = wrongClasses(load, courseIds);
        return new RushReport(options, answers, rushStart, waveStarts, cost).print(wrongClasses);
    }

    /**
     * The warm-up (not measured): each instance named by --warm gets rushes of its own, 250 students on a fresh class
     * of 80 seats each (seats, waiting list and full answers), --warmup students in all, so that the measured rush
     * meets JIT-compiled code (the first rush on a fresh JVM is ~2x slower).
     */
    private void warmUp(RushClient load) throws Exception {
        List<String> toWarm = options.warm == null ? options.bases : options.warm;
        if (options.warmup <= 0 || toWarm.isEmpty()) {
            return;
        }
        long t = System.nanoTime();
        int rounds = (options.warmup + 249) / 250;
        for (int r = 0; r < rounds; r++) {
            List<Future<?>> warming = new ArrayList<>();
            ExecutorService w = Executors.newFixedThreadPool(toWarm.size());
            for (String base : toWarm) {
                int instance = options.bases.indexOf(base);
                warming.add(w.submit(() -> {
                    long course = load.newClass(80);
                    String[] tokens = load.tokens(250);
                    load.fire(tokens.length, Math.min(options.concurrency, 128), i -> new long[] {course, instance},
                            tokens);
                    return null;
                }));
            }
            for (Future<?> f : warming) {
                f.get();
            }
            w.shutdown();
        }
        System.out.printf("warm-up: %d students on each of %d instance(s), %.1f s%n", rounds * 250,
                toWarm.size(), (System.nanoTime() - t) / 1e9);
    }

    /**
     * Imports a registration window for every student (wave w opens {@code w × gap} s after the first, which opens
     * a few seconds from now), then sends each wave's requests when its window opens, the waves overlapping when
     * one has not settled by the next one's opening.
     *
     * @param waveStarts filled with each wave's start (System.nanoTime, when its first requests were released)
     * @return the answers, indexed as the students
     */
    private Answer[] staged(RushClient load, long firstStudent, String[] tokens, Target target, long[] waveStarts)
            throws Exception {
        int students = options.students;
        int waves = options.waves;
        int gapSeconds = options.gapSeconds;
        int perWave = students / waves;
        // whole seconds, from 3 s after the import starts: the CSV of 5,000 rows is in before the first opening
        long firstOpening = (System.currentTimeMillis() / 1000 + 3) * 1000;
        StringBuilder csv = new StringBuilder("studentId,opensAt\n");
        for (int i = 0; i < students; i++) {
            csv.append(firstStudent + i).append(',')
                    .append(Instant.ofEpochMilli(firstOpening + (long) (i / perWave) * gapSeconds * 1000))
                    .append('\n');
        }
        HttpResponse<String> imported = load.http.send(HttpRequest.newBuilder(
                        URI.create(options.bases.get(0) + "/registrar/registration-windows"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + load.client.registrar()).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (imported.statusCode() != 200) {
            throw new IllegalStateException("window import → " + imported.statusCode() + " " + imported.body());
        }
        System.out.printf("windows: %d imported, %d wave(s) of %d students, %d s apart, the first opening %d ms "
                + "after the import%n", students, waves, perWave, gapSeconds,
                firstOpening - System.currentTimeMillis());
        Answer[] answers = new Answer[students];
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < waves; w++) {
            int wave = w;
            int from = w * perWave;
            Thread thread = new Thread(() -> {
                try {
                    // 5 ms past the opening: the window opens at opensAt inclusive, on the same clock
                    long wait = firstOpening + (long) wave * gapSeconds * 1000 + 5 - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    waveStarts[wave] = System.nanoTime();
                    Answer[] part = load.fire(perWave, options.concurrency, i -> target.of(from + i),
                            Arrays.copyOfRange(tokens, from, from + perWave));
                    System.arraycopy(part, 0, answers, from, perWave);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "wave-" + w);
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join();
        }
        return answers;
    }

    /**
     * What the stores hold: each class as the registrar sees it, against its expected seats and waiting list; prints
     * the first 5 wrong ones.
     *
     * @return how many classes are wrong
     */
    private int wrongClasses(RushClient load, long[] courseIds) throws Exception {
        int wrong = 0;
        for (int c = 0; c < options.classes; c++) {
            JsonNode shown = load.client.call(options.bases.get(0), "GET", "/registrar/classes/" + courseIds[c],
                    load.client.registrar(), null, 200);
            if (shown.get("enrolled").asInt() != options.expectedSeats(c)
                    || shown.get("waitlisted").asInt() != options.expectedWaiting(c)) {
                if (wrong++ < 5) {
                    System.out.println("!! class " + courseIds[c] + " stored " + shown);
                }
            }
        }
        return wrong;
    }
}
