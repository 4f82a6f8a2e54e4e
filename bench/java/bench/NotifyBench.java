package bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import support.Tokens;
import support.WebhookReceiver;

/**
 * The notification pipeline under load, against a running service (bench/notifications.sh starts it with real
 * RabbitMQ and Redis): auto-enrollment → outbox → fanout `notify` → queues `email` / `webhook` → SMTP / HTTP.
 *
 *   java -cp "$CP" bench.NotifyBench --base http://127.0.0.1:PORT --key key.pem --smtp-port P --hook-port P \
 *        [--amqp amqp://guest:guest@127.0.0.1:PORT] [--rate 200] [--duration 20] [--b-duration 20] \
 *        [--b-concurrency 32] [--b-classes N] [--c-rate 1000] [--c-duration 20] [--phases ABC]
 *
 * CP = the class path the build compiles this with (bench_classpath in bench/processes.sh: target/test-classes,
 * target/classes and target/bench-classpath.txt); tokens are minted and webhook signatures checked by the
 * tests' own support.Tokens and support.WebhookReceiver. Everything listens on and talks to 127.0.0.1 only; every loop
 * ends by count and by time, a watchdog bounds the whole run, and the program exits by itself (exit code 1 when a
 * phase lost events, 2 on bad arguments, 3 on the watchdog).
 *
 * Setup: classes of capacity 1, each with one seated student and `waiting` students on its waiting list, each of
 * them subscribed with an email address (GreenMail here) and a webhook (the receiver here). A drop by the seated
 * student promotes the first waiting one: one `enrolled` event → one webhook + one email.
 *   A  latency: drops at a fixed rate (open loop, round-robin over the classes, at most one drop per class in
 *      flight); latency = webhook arrival − the event's occurredAt (the promotion), split at the broker when --amqp
 *      is given (a tap queue bound to `notify` records when each event reached RabbitMQ).
 *   B  throughput: N concurrent drop loops as fast as the API answers.
 *   C  delivery side alone (needs --amqp): events published straight to the `notify` exchange at --c-rate
 *      (0 = as fast as publisher confirms allow) for subscriptions made here, bypassing the API, DynamoDB and the
 *      outbox; measures what the email / webhook consumers sustain.
 *   H  head-of-line blocking (needs --amqp): for each N of --h-hanging (default 0,20,200), N webhook subscriptions
 *      whose targets are paths of the webhook receiver (/hang/i: one host:port with the healthy target) that accept
 *      the request and never answer, and one healthy subscription; every --h-period ms one event per subscription is
 *      published straight to `notify`, for --h-duration s; reported: the healthy webhooks' latency (publish → arrival) p50 / p99 / max.
 */
public class NotifyBench {

    static final ObjectMapper JSON = new ObjectMapper();

    // ---- options ------------------------------------------------------------------------------------------------

    static String base;
    static String amqpUrl;
    static int smtpPort;
    static int hookPort;
    static Path keyFile;
    static double rate = 200;
    static int durationA = 20;
    static int durationB = 20;
    static int concurrencyB = 32;
    static int classesB = 0;   // 0 = sized from what phase A achieved
    static int waiting = 15;
    static double rateC = 1000;
    static int durationC = 20;
    static int warmupC = 10;
    static int subscribersC = 600;
    static boolean emailC = true;
    static boolean smtpNoDelay = true;
    static int setupThreads = 16;
    static int drainSeconds = 120;
    static String phases = "AB";

    // ---- shared state -------------------------------------------------------------------------------------------

    static double achievedA;   // drops answered 200 per second in phase A
    static Client client;
    static HttpClient http;
    static Tokens signing;
    /** Fresh per run (far above the store's own counters): a second run on the same stores collides with nothing. */
    static final AtomicLong nextStudentId = new AtomicLong(System.currentTimeMillis() * 1000);
    static final AtomicInteger nextCourse = new AtomicInteger(1);

    /** classId → phase ('A', 'B' or 'C'), to sort arriving webhooks into their phase. */
    static final Map<Long, Character> phaseOfClass = new ConcurrentHashMap<>();
    /** studentId → webhook secret, whsec_… (every signature is checked) */
    static final Map<Long, String> secrets = new ConcurrentHashMap<>();
    /** promoted studentId → when the drop that promoted them was sent (System.currentTimeMillis) */
    static final Map<Long, Long> dropSentAt = new ConcurrentHashMap<>();
    /** event id → when the tap queue got it from the broker */
    static final Map<String, Long> atBroker = new ConcurrentHashMap<>();
    static final Map<String, Long> seenEvents = new ConcurrentHashMap<>();
    static final AtomicInteger republished = new AtomicInteger();

    record Arrival(char phase, String id, long arrivedAt, long occurredAt, long dropSent) {
    }

    static final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    static final AtomicInteger duplicates = new AtomicInteger();
    static final AtomicInteger badSignatures = new AtomicInteger();
    static final AtomicInteger unknownHooks = new AtomicInteger();
    static final Map<Character, AtomicInteger> received = Map.of('A', new AtomicInteger(), 'B', new AtomicInteger(),
            'C', new AtomicInteger(), 'H', new AtomicInteger());
    static final Map<Character, Set<Integer>> connections = Map.of('A', ConcurrentHashMap.newKeySet(),
            'B', ConcurrentHashMap.newKeySet(), 'C', ConcurrentHashMap.newKeySet(), 'H', ConcurrentHashMap.newKeySet());
    static List<Integer> hangingCounts = List.of(0, 20, 200);
    static int periodH = 500;
    static int durationH = 30;

    /** One class: its students in order; students[seated] holds the seat. */
    static final class Course {
        final long id;
        final String[] tokens;   // [0] = first seated, [1..] = waiting, in order
        final long[] students;
        int seated = 0;
        final AtomicBoolean inFlight = new AtomicBoolean();

        Course(long id, long[] students, String[] tokens) {
            this.id = id;
            this.students = students;
            this.tokens = tokens;
        }

        boolean exhausted() {
            return seated >= students.length - 1;
        }
    }

    /**
     * GreenMail's SMTP server and store, counting the emails accepted. GreenMail writes each line of its multi-line
     * EHLO answer with a flush of its own; without TCP_NODELAY, Nagle holds the second line until the client's
     * delayed ACK (40 ms on Linux), so every new SMTP connection costs ~45 ms more than against a relay that answers
     * EHLO in one write. TCP_NODELAY on the accepted sockets (the default, --smtp-nodelay) takes that artifact of
     * the sink out of the figures; --smtp-nodelay false measures against stock GreenMail.
     */
    static final class MailSink {
        final Managers managers = new Managers();
        final SmtpServer server;

        MailSink(int port, boolean noDelay) {
            server = new SmtpServer(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP), managers) {
                @Override
                protected void handleClientSocket(Socket socket) throws SocketException {
                    if (noDelay) {
                        socket.setTcpNoDelay(true);
                    }
                    super.handleClientSocket(socket);
                }
            };
        }

        void start() throws InterruptedException {
            server.startService();
            if (!server.waitTillRunning(10_000)) {
                throw new IllegalStateException("GreenMail SMTP did not start on 127.0.0.1:" + smtpPort);
            }
        }

        int count() {
            return managers.getImapHostManager().getAllMessages().size();
        }

        void stop() {
            server.stopService();
        }
    }

    public static void main(String[] args) throws Exception {
        parse(args);
        long started = System.currentTimeMillis();
        long limit = 900_000L + 1000L * (durationA + durationB + warmupC + durationC + 3L * drainSeconds
                + hangingCounts.size() * (durationH + 90L));
        Client.watchdog(limit);

        signing = Tokens.of(keyFile);
        client = new Client(Math.max(16, concurrencyB));
        http = client.http;

        MailSink mail = new MailSink(smtpPort, smtpNoDelay);
        mail.start();
        HttpServer hooks = startReceiver();
        Connection amqp = null;
        System.out.printf("bench: GreenMail SMTP on 127.0.0.1:%d (TCP_NODELAY %s), webhook receiver on 127.0.0.1:%d, "
                + "service %s%s%n", smtpPort, smtpNoDelay ? "on" : "off", hookPort, base,
                amqpUrl == null ? "" : ", broker tap on");

        boolean ok = true;
        try {
            if (amqpUrl != null) {
                ConnectionFactory factory = new ConnectionFactory();
                factory.setUri(amqpUrl);
                factory.setConnectionTimeout(5000);
                amqp = factory.newConnection("notify-bench");
            }
            client.signIn(base, "bench-notify");
            Channel tap = amqp == null ? null : startTap(amqp);
            if (phases.contains("A")) {
                int classesA = (int) Math.ceil(rate * durationA / waiting * 1.1) + 4;
                ok &= phaseA(setup('A', classesA), mail);
            }
            if (phases.contains("B")) {
                if (classesB == 0) {
                    // enough waiting students for twice the drop rate phase A achieved (or asked, without phase A)
                    double expected = Math.max(50, 2 * (achievedA > 0 ? achievedA : rate));
                    classesB = (int) Math.min(20_000, Math.ceil(expected * durationB / waiting * 1.2));
                }
                ok &= phaseB(setup('B', classesB), mail);
            }
            if (tap != null) {
                tap.close();   // phase C measures the service's consumers alone
            }
            if (phases.contains("C")) {
                ok &= phaseC(amqp, mail);
            }
            if (phases.contains("H")) {
                ok &= phaseH(amqp);
            }
        } finally {
            if (amqp != null) {
                amqp.abort(2000);
            }
            hooks.stop(0);
            mail.stop();
            client.close();
            System.out.printf("bench: done in %.1f s%n", (System.currentTimeMillis() - started) / 1000.0);
        }
        System.exit(ok ? 0 : 1);
    }

    // ---- setup --------------------------------------------------------------------------------------------------

    static List<Course> setup(char phase, int count) throws Exception {
        long t0 = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(setupThreads);
        List<Future<Course>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(() -> newCourse(phase)));
        }
        pool.shutdown();
        List<Course> courses = new ArrayList<>();
        try {
            for (Future<Course> f : futures) {
                courses.add(f.get(600, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        long ms = System.currentTimeMillis() - t0;
        int requests = count * (2 + 2 * waiting);
        System.out.printf("%nsetup %c: %d classes × (1 seated + %d waiting, subscribed) = %d requests in %.1f s "
                + "(%.0f req/s)%n",
                phase, count, waiting, requests, ms / 1000.0, requests * 1000.0 / ms);
        return courses;
    }

    static long newClass(char phase) throws Exception {
        int n = nextCourse.getAndIncrement();
        long classId = client.newClass(base, "BENCH", String.format("NB %s %c%05d", client.tag, phase, n), 1,
                "Notify bench " + phase + n, 1);
        phaseOfClass.put(classId, phase);
        return classId;
    }

    /** A webhook-only subscription to any target. */
    static void subscribeTo(long classId, long student, String callbackUrl) throws Exception {
        JsonNode answer = call("POST", "/student/subscribe/" + classId, signing.student(student),
                "{\"callbackUrl\":\"" + callbackUrl + "\"}", 201);
        secrets.put(student, answer.get("secret").asText());
    }

    static void subscribe(long classId, long student, String token, boolean email) throws Exception {
        String sub = email
                ? String.format("{\"email\":\"s%d@bench.test\",\"callbackUrl\":\"http://127.0.0.1:%d/hook/s%d\"}",
                        student, hookPort, student)
                : String.format("{\"callbackUrl\":\"http://127.0.0.1:%d/hook/s%d\"}", hookPort, student);
        JsonNode answer = call("POST", "/student/subscribe/" + classId, token, sub, 201);
        secrets.put(student, answer.get("secret").asText());
    }

    static Course newCourse(char phase) throws Exception {
        long classId = newClass(phase);
        long[] students = new long[waiting + 1];
        String[] tokens = new String[waiting + 1];
        for (int k = 0; k <= waiting; k++) {
            students[k] = nextStudentId.incrementAndGet();
            tokens[k] = signing.student(students[k]);
            if (k > 0) {
                subscribe(classId, students[k], tokens[k], true);
            }
            call("POST", "/student/enrollments/" + classId, tokens[k], null, k == 0 ? 201 : 202);
        }
        return new Course(classId, students, tokens);
    }

    // ---- phase A: latency at a fixed rate -----------------------------------------------------------------------

    static boolean phaseA(List<Course> courses, MailSink mail) throws Exception {
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
            dropSentAt.put(c.students[c.seated + 1], sentAt);
            http.sendAsync(drop(c), HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
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
        achievedA = events.get() * 1000.0 / Math.max(1, System.currentTimeMillis() - t0);
        System.out.printf("drops sent: %d in %.1f s = %.1f/s (asked %.0f/s); answered 200: %d; failed: %s; "
                        + "ticks skipped because every class had a drop in flight: %d%n",
                sent.get(), sendingMs / 1000.0, sent.get() * 1000.0 / sendingMs, rate, events.get(), failures,
                noFreeClass.get());
        System.out.printf("drop answer time (ms): %s%n", percentiles((answerTimes)));

        Drain drain = drain('A', events.get(), mail, mailBefore, sendEnd, true);
        List<Arrival> mine = arrivals.stream().filter(x -> x.phase == 'A').toList();
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        System.out.printf("events (promotions): %d, webhooks received: %d (over %d connections), emails accepted: %d%n",
                events.get(), received.get('A').get(), connections.get('A').size(), drain.emails);
        printLatencies(mine);
        System.out.printf("last webhook arrived %.2f s after the last drop was sent; all emails accepted %.2f s "
                        + "after%n",
                (lastArrival - sendEnd) / 1000.0, drain.emailsDoneMs / 1000.0);
        System.out.printf("webhooks per second of the phase: %s%n", perSecond(mine, t0, lastArrival));
        return verdict("A", received.get('A').get() == events.get() && drain.emails == events.get());
    }

    // ---- phase B: throughput ------------------------------------------------------------------------------------

    static boolean phaseB(List<Course> courses, MailSink mail) throws Exception {
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
                    dropSentAt.put(c.students[c.seated + 1], sentAt);
                    try {
                        HttpResponse<String> resp = http.send(drop(c), HttpResponse.BodyHandlers.ofString());
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
        int hooksInWindow = (int) arrivals.stream().filter(x -> x.phase == 'B' && x.arrivedAt <= windowEnd).count();
        int mailInWindow = mail.count() - mailBefore;
        long mailCountedAt = System.currentTimeMillis();

        System.out.printf("drops: %d answered 200 in %.1f s = %.1f drops/s; failed: %s%s%n", events.get(),
                (sendEnd - t0) / 1000.0, events.get() * 1000.0 / (sendEnd - t0), failures,
                exhaustedAt.get() > 0 ? String.format(" (supply of waiting students exhausted after %.1f s)",
                        (exhaustedAt.get() - t0) / 1000.0) : "");
        System.out.printf("drop answer time (ms): %s%n", percentiles((answerTimes)));
        Drain drain = drain('B', events.get(), mail, mailBefore, sendEnd, true);
        List<Arrival> mine = arrivals.stream().filter(x -> x.phase == 'B').toList();
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        int hooks = received.get('B').get();
        System.out.printf("webhooks received in the %.1f s window: %d = %.1f webhooks/s (over %d connections)%n",
                windowMs / 1000.0, hooksInWindow, hooksInWindow * 1000.0 / windowMs, connections.get('B').size());
        System.out.printf("emails accepted by the window's end (counted %d ms after it): %d = %.1f emails/s%n",
                mailCountedAt - windowEnd, mailInWindow, mailInWindow * 1000.0 / windowMs);
        System.out.printf("drain: last webhook %.2f s after the window (all %d over %.1f s = %.1f/s); "
                        + "%d emails, the last accepted %.2f s after the window%n",
                (lastArrival - windowEnd) / 1000.0, hooks, (lastArrival - t0) / 1000.0,
                hooks * 1000.0 / Math.max(1, lastArrival - t0), drain.emails, drain.emailsDoneMs / 1000.0);
        printLatencies(mine);
        System.out.printf("webhooks per second of the phase: %s%n", perSecond(mine, t0, lastArrival));
        return verdict("B", hooks == events.get() && drain.emails == events.get());
    }

    // ---- phase C: the delivery side alone -----------------------------------------------------------------------

    static boolean phaseC(Connection amqp, MailSink mail) throws Exception {
        if (amqp == null) {
            System.out.println("\n== phase C skipped: it needs --amqp");
            return true;
        }
        // subscriptions only (no enrollments): the consumers look them up by (student, class)
        int classes = (int) Math.ceil(subscribersC / (double) waiting);
        long t0setup = System.currentTimeMillis();
        List<long[]> pairs = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(setupThreads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            futures.add(pool.submit(() -> {
                long classId = newClass('C');
                for (int k = 0; k < waiting; k++) {
                    long student = nextStudentId.incrementAndGet();
                    subscribe(classId, student, signing.student(student), emailC);
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
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .deliveryMode(2).build();
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
                hooksAtMeasure = received.get('C').get();
            }
            long due = rateC > 0 ? Math.min(maxEvents, (long) ((now - t0) * rateC / 1000.0) + 1) : maxEvents;
            if (published >= due || unconfirmed.size() >= 5000) {
                Thread.sleep(1);
                continue;
            }
            long[] pair = pairs.get(published % pairs.size());
            String event = String.format("{\"id\":\"%s\",\"type\":\"enrolled\",\"action\":\"enrolled\",\"uid\":%d,"
                            + "\"class\":%d,\"studentId\":%d,\"classId\":%d,\"title\":\"Notify bench C\","
                            + "\"studentName\":\"Student %d\",\"occurredAt\":\"%s\"}", UUID.randomUUID(), pair[0],
                    pair[1], pair[0], pair[1], pair[0], Instant.now());
            unconfirmed.add(ch.getNextPublishSeqNo());
            ch.basicPublish("notify", "", props, event.getBytes(StandardCharsets.UTF_8));
            published++;
            if (now >= measureFrom) {
                measured++;
            }
        }
        long sendEnd = System.currentTimeMillis();
        if (mailAtMeasure < 0) {
            mailAtMeasure = mail.count();
            hooksAtMeasure = received.get('C').get();
        }
        int hooksAtEnd = received.get('C').get();
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
                + "emails accepted: %.1f/s%n", hookRate, connections.get('C').size(), emailC ? mailRate : 0.0);
        Drain drain = drain('C', published, mail, mailBefore, sendEnd, emailC);
        List<Arrival> mine = arrivals.stream().filter(x -> x.phase == 'C').toList();
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        int hooks = received.get('C').get();
        System.out.printf("drain: the last webhook arrived %.2f s after the last publish; emails: %d of %d accepted, "
                        + "%.2f s after%n", (lastArrival - sendEnd) / 1000.0, drain.emails, emailC ? published : 0,
                drain.emailsDoneMs / 1000.0);
        System.out.printf("latency publish (occurredAt) → webhook arrival, events of the measured window (ms): %s%n",
                percentiles((mine.stream().filter(x -> x.occurredAt >= measureFrom)
                        .map(x -> x.arrivedAt - x.occurredAt).toList())));
        System.out.printf("webhooks per second of the phase (warm-up included): %s%n",
                perSecond(mine, t0, lastArrival));
        boolean kept = rateC > 0 && hookRate >= 0.95 * measured * 1000.0 / windowMs && lastArrival - sendEnd <= 2000;
        System.out.printf("webhooks kept up with %s: %s%n", rateC > 0 ? String.format("%.0f events/s", rateC)
                : "the publisher", kept ? "yes" : "no");
        return verdict("C", hooks == published && (!emailC || drain.emails >= published));
    }

    /** A queue of our own bound to `notify`: when each event reached the broker (latency split). */
    static Channel startTap(Connection amqp) throws Exception {
        Channel tap = amqp.createChannel();
        String queue = tap.queueDeclare("", false, true, true, null).getQueue();
        tap.queueBind(queue, "notify", "");
        DeliverCallback onEvent = (tag, message) -> {
            long now = System.currentTimeMillis();
            try {
                if (atBroker.putIfAbsent(JSON.readTree(message.getBody()).get("id").asText(), now) != null) {
                    republished.incrementAndGet();   // the outbox sweep published it again
                }
            } catch (Exception ignored) {
                // not an event of ours
            }
        };
        tap.basicConsume(queue, true, onEvent, tag -> { });
        return tap;
    }

    // ---- drain --------------------------------------------------------------------------------------------------

    record Drain(int emails, long emailsDoneMs) {
    }

    /**
     * Waits until every expected webhook (and, with {@code emails}, every email) of the phase arrived, or nothing
     * arrived for 20 s, or {@code drainSeconds} passed. Emails are counted every 500 ms (counting walks GreenMail's
     * store).
     */
    static Drain drain(char phase, int expected, MailSink mail, int mailBefore, long from, boolean emails)
            throws InterruptedException {
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
            int hooks = received.get(phase).get();
            if (hooks + accepted != lastSeen) {
                lastSeen = hooks + accepted;
                lastProgress = System.currentTimeMillis();
            }
            if (hooks >= expected && (!emails || accepted >= expected)) {
                break;
            }
            if (System.currentTimeMillis() - lastProgress > 20_000) {
                System.out.printf("!! nothing arrived for 20 s: %d of %d webhooks, %d of %d emails%n",
                        hooks, expected, accepted, expected);
                break;
            }
            Thread.sleep(500);
        }
        if (System.currentTimeMillis() >= deadline) {
            System.out.printf("!! drain stopped after %d s: %d of %d webhooks, %d of %d emails%n", drainSeconds,
                    received.get(phase).get(), expected, accepted, expected);
        }
        return new Drain(accepted, emailsDone < 0 ? System.currentTimeMillis() - from : emailsDone);
    }

    static boolean verdict(String phase, boolean complete) {
        System.out.printf("phase %s: %s; duplicates %d, bad signatures %d, webhooks of unknown classes %d%n", phase,
                complete ? "every event delivered" : "!! NOT EVERY EVENT DELIVERED within the drain time",
                duplicates.get(), badSignatures.get(), unknownHooks.get());
        return complete;
    }

    static void printLatencies(List<Arrival> mine) {
        System.out.printf("latency occurredAt → webhook arrival (ms): %s%n",
                percentiles((mine.stream().map(x -> x.arrivedAt - x.occurredAt).toList())));
        if (!atBroker.isEmpty()) {
            List<Long> toBroker = new ArrayList<>();
            List<Long> fromBroker = new ArrayList<>();
            for (Arrival a : mine) {
                Long at = atBroker.get(a.id);
                if (at != null) {
                    toBroker.add(at - a.occurredAt);
                    fromBroker.add(a.arrivedAt - at);
                }
            }
            System.out.printf("  of which occurredAt → at the broker (tap queue): %s%n",
                    percentiles((toBroker)));
            System.out.printf("  and broker → webhook arrival: %s%n", percentiles((fromBroker)));
            System.out.printf("  events the broker got more than once so far (outbox sweep): %d%n", republished.get());
        }
        System.out.printf("latency drop request sent → webhook arrival (ms): %s%n", percentiles((
                mine.stream().filter(x -> x.dropSent > 0).map(x -> x.arrivedAt - x.dropSent).toList())));
    }

    // ---- phase H: head-of-line blocking ---------------------------------------------------------------------------

    /** The requests the receiver's /hang/ paths accepted and never answered (closed when phase H ends). */
    static final List<com.sun.net.httpserver.HttpExchange> hanging = Collections.synchronizedList(new ArrayList<>());

    static String hangingUrl(int i) {
        return "http://127.0.0.1:" + hookPort + "/hang/" + i;
    }

    static void releaseHanging() {
        synchronized (hanging) {
            hanging.forEach(com.sun.net.httpserver.HttpExchange::close);
            hanging.clear();
        }
    }

    static boolean phaseH(Connection amqp) throws Exception {
        if (amqp == null) {
            System.out.println("\n== phase H skipped: it needs --amqp");
            return true;
        }
        boolean ok = true;
        for (int n : hangingCounts) {
            try {
                List<long[]> pairs = new ArrayList<>();
                long classId = 0;
                for (int i = 0; i < n; i++) {
                    if (i % waiting == 0) {
                        classId = newClass('h');
                    }
                    long student = nextStudentId.incrementAndGet();
                    subscribeTo(classId, student, hangingUrl(i));
                    pairs.add(new long[] {student, classId});
                }
                long healthyClass = newClass('H');
                long healthy = nextStudentId.incrementAndGet();
                subscribe(healthyClass, healthy, signing.student(healthy), false);
                System.out.printf("%n== phase H, N = %d: %d hanging paths + 1 healthy on one host, one event each every %d ms "
                        + "for %d s%n", n, n, periodH, durationH);
                Channel ch = amqp.createChannel();
                ch.confirmSelect();
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                        .deliveryMode(2).build();
                long t0 = System.currentTimeMillis();
                int rounds = 0;
                while (System.currentTimeMillis() < t0 + durationH * 1000L) {
                    for (long[] pair : pairs) {
                        publishEvent(ch, props, pair[0], pair[1]);
                    }
                    publishEvent(ch, props, healthy, healthyClass);
                    rounds++;
                    ch.waitForConfirms(10_000);
                    sleep(Math.max(0, t0 + (long) rounds * periodH - System.currentTimeMillis()));
                }
                ch.close();
                long deadline = System.currentTimeMillis() + 30_000;
                while (arrivals.stream().filter(x -> x.phase == 'H' && x.occurredAt >= t0).count() < rounds
                        && System.currentTimeMillis() < deadline) {
                    sleep(100);
                }
                List<Long> latencies = arrivals.stream().filter(x -> x.phase == 'H' && x.occurredAt >= t0)
                        .map(x -> x.arrivedAt - x.occurredAt).toList();
                double[] sorted = Percentiles.sorted(latencies);
                System.out.printf("healthy webhooks: %d of %d arrived within the run and 30 s after; latency publish → "
                        + "arrival (ms): %s; requests the hanging paths accepted: %d%n", latencies.size(), rounds,
                        sorted.length == 0 ? "none arrived" : String.format("p50 %.0f, p99 %.0f, max %.0f",
                                Percentiles.of(sorted, 50), Percentiles.of(sorted, 99), Percentiles.of(sorted, 100)), hanging.size());
                System.out.printf("the slowest healthy webhooks (published at +s: latency ms): %s%n",
                        arrivals.stream().filter(x -> x.phase == 'H' && x.occurredAt >= t0)
                                .sorted((x, y) -> Long.compare(y.arrivedAt - y.occurredAt, x.arrivedAt - x.occurredAt))
                                .limit(5).map(x -> String.format("+%.1f: %d", (x.occurredAt - t0) / 1000.0,
                                        x.arrivedAt - x.occurredAt)).toList());
                ok &= verdict("H (N = " + n + ")", latencies.size() == rounds);
            } finally {
                releaseHanging();
            }
        }
        return ok;
    }

    static void publishEvent(Channel ch, AMQP.BasicProperties props, long student, long classId) throws IOException {
        String event = String.format("{\"id\":\"%s\",\"type\":\"enrolled\",\"action\":\"enrolled\",\"uid\":%d,"
                        + "\"class\":%d,\"studentId\":%d,\"classId\":%d,\"title\":\"Notify bench H\","
                        + "\"studentName\":\"Student %d\",\"occurredAt\":\"%s\"}", UUID.randomUUID(), student,
                classId, student, classId, student, Instant.now());
        ch.basicPublish("notify", "", props, event.getBytes(StandardCharsets.UTF_8));
    }

    // ---- webhook receiver ---------------------------------------------------------------------------------------

    static HttpServer startReceiver() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");   // as a production endpoint would
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), hookPort),
                1024);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "hook");
            t.setDaemon(true);
            return t;
        }));
        // accepted and never answered: the handler returns without a response, so no receiver thread is held
        server.createContext("/hang/", hanging::add);
        server.createContext("/hook", exchange -> {
            long now = System.currentTimeMillis();
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode event = JSON.readTree(body);
                String id = event.get("id").asText();
                long classId = event.get("classId").asLong();
                long studentId = event.get("studentId").asLong();
                Character phase = phaseOfClass.get(classId);
                if (!signed(exchange.getRequestHeaders(), body, secrets.get(studentId))) {
                    badSignatures.incrementAndGet();
                }
                if (phase == null) {
                    unknownHooks.incrementAndGet();
                } else if (seenEvents.putIfAbsent(id, now) != null) {
                    duplicates.incrementAndGet();
                } else {
                    long occurred = Instant.parse(event.get("occurredAt").asText()).toEpochMilli();
                    Long sent = dropSentAt.get(studentId);
                    arrivals.add(new Arrival(phase, id, now, occurred, sent == null ? 0 : sent));
                    connections.get(phase).add(exchange.getRemoteAddress().getPort());
                    received.get(phase).incrementAndGet();
                }
                exchange.sendResponseHeaders(200, -1);
            } catch (Exception e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    /** Whether the Standard Webhooks signature header holds the signature expected with this secret. */
    static boolean signed(com.sun.net.httpserver.Headers headers, byte[] body, String secret) {
        String id = headers.getFirst("webhook-id");
        String timestamp = headers.getFirst("webhook-timestamp");
        String signature = headers.getFirst("webhook-signature");
        if (id == null || timestamp == null || signature == null || secret == null) {
            return false;
        }
        try {
            return Arrays.asList(signature.split(" ")).contains(
                    WebhookReceiver.expectedSignature(secret, id, timestamp, new String(body, StandardCharsets.UTF_8)));
        } catch (Exception e) {
            return false;
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    static HttpRequest drop(Course c) {
        return HttpRequest.newBuilder(URI.create(base + "/student/enrollments/" + c.id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + c.tokens[c.seated]).DELETE().build();
    }

    /** One request to the service; fails unless the answer has the expected status. */
    static JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        return client.call(base, method, path, token, body, expected);
    }

    // ---- figures ------------------------------------------------------------------------------------------------

    static String percentiles(java.util.Collection<Long> samples) {
        if (samples.isEmpty()) {
            return "no samples";
        }
        double[] sorted = Percentiles.sorted(samples);
        return String.format("n=%d p50=%.0f p90=%.0f p99=%.0f max=%.0f", sorted.length, Percentiles.of(sorted, 50),
                Percentiles.of(sorted, 90), Percentiles.of(sorted, 99), Percentiles.of(sorted, 100));
    }

    static String perSecond(List<Arrival> arrived, long t0, long last) {
        Map<Long, Integer> buckets = new TreeMap<>();
        for (Arrival a : arrived) {
            buckets.merge((a.arrivedAt - t0) / 1000, 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        for (long sec = 0; sec <= (last - t0) / 1000; sec++) {
            s.append(sec == 0 ? "" : " ").append(buckets.getOrDefault(sec, 0));
        }
        return s.toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- arguments ----------------------------------------------------------------------------------------------

    static void parse(String[] args) {
        if (args.length % 2 != 0) {
            usage("every option takes a value");
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        for (String key : opts.keySet()) {
            if (!List.of("base", "key", "smtp-port", "hook-port", "amqp", "rate", "duration", "b-duration",
                    "b-concurrency", "b-classes", "waiting", "c-rate", "c-duration", "c-warmup", "c-subscribers",
                    "c-email",
                    "smtp-nodelay", "phases", "setup-threads", "drain", "h-hanging", "h-period", "h-duration")
                    .contains(key)) {
                usage("unknown option --" + key);
            }
        }
        if (!opts.containsKey("base") || !opts.containsKey("key") || !opts.containsKey("smtp-port")
                || !opts.containsKey("hook-port")) {
            usage("--base, --key, --smtp-port and --hook-port are required");
        }
        try {
            base = opts.get("base").replaceAll("/$", "");
            amqpUrl = opts.get("amqp");
            if (!base.startsWith("http://127.0.0.1:") || (amqpUrl != null && !amqpUrl.contains("@127.0.0.1:"))) {
                usage("--base and --amqp must point at 127.0.0.1");
            }
            keyFile = Path.of(opts.get("key"));
            smtpPort = Integer.parseInt(opts.get("smtp-port"));
            hookPort = Integer.parseInt(opts.get("hook-port"));
            rate = Double.parseDouble(opts.getOrDefault("rate", "200"));
            durationA = Integer.parseInt(opts.getOrDefault("duration", "20"));
            durationB = Integer.parseInt(opts.getOrDefault("b-duration", Integer.toString(durationA)));
            concurrencyB = Integer.parseInt(opts.getOrDefault("b-concurrency", "32"));
            classesB = Integer.parseInt(opts.getOrDefault("b-classes", "0"));
            waiting = Integer.parseInt(opts.getOrDefault("waiting", "15"));
            rateC = Double.parseDouble(opts.getOrDefault("c-rate", "1000"));
            durationC = Integer.parseInt(opts.getOrDefault("c-duration", Integer.toString(durationA)));
            warmupC = Integer.parseInt(opts.getOrDefault("c-warmup", "10"));
            subscribersC = Integer.parseInt(opts.getOrDefault("c-subscribers", "600"));
            emailC = Boolean.parseBoolean(opts.getOrDefault("c-email", "true"));
            smtpNoDelay = Boolean.parseBoolean(opts.getOrDefault("smtp-nodelay", "true"));
            setupThreads = Integer.parseInt(opts.getOrDefault("setup-threads", "16"));
            drainSeconds = Integer.parseInt(opts.getOrDefault("drain", "120"));
            phases = opts.getOrDefault("phases", amqpUrl == null ? "AB" : "ABC").toUpperCase();
            hangingCounts = Arrays.stream(opts.getOrDefault("h-hanging", "0,20,200").split(",")).map(String::trim)
                    .map(Integer::parseInt).toList();
            periodH = Integer.parseInt(opts.getOrDefault("h-period", "500"));
            durationH = Integer.parseInt(opts.getOrDefault("h-duration", "30"));
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
        }
        if (rate <= 0 || rate > 10_000 || durationA < 1 || durationA > 600 || durationB < 1 || durationB > 600
                || concurrencyB < 1 || concurrencyB > 512 || classesB < 0 || classesB > 20_000 || waiting < 1
                || waiting > 15 || rateC < 0 || rateC > 20_000 || durationC < 1 || durationC > 600 || warmupC < 0
                || warmupC > 300
                || subscribersC < 1 || subscribersC > 20_000 || setupThreads < 1 || setupThreads > 128
                || drainSeconds < 5 || drainSeconds > 900 || !phases.matches("[ABCH]+") || periodH < 50 || periodH > 60_000
                || durationH < 1 || durationH > 600 || hangingCounts.stream().anyMatch(n -> n < 0 || n > 2_000)) {
            usage("an option is out of range");
        }
    }

    static void usage(String problem) {
        System.err.println("NotifyBench: " + problem);
        System.err.println("usage: java -cp CP bench.NotifyBench --base http://127.0.0.1:PORT --key KEY.pem "
                + "--smtp-port P --hook-port P [--amqp amqp://guest:guest@127.0.0.1:PORT] [--phases ABC] "
                + "[--rate 200] [--duration 20] [--b-duration 20] [--b-concurrency 32] "
                + "[--b-classes 0 (= sized from phase A)] [--waiting 15] [--c-rate 1000 (0 = full speed)] "
                + "[--c-duration 20] [--c-warmup 10] [--c-subscribers 600] "
                + "[--c-email true] [--smtp-nodelay true] [--setup-threads 16] [--drain 120] "
                + "[--h-hanging 0,20,200] [--h-period 500] [--h-duration 30]");
        System.exit(2);
    }
}
