// The notification pipeline under load, against a running service (bench/notifications.sh starts it with real
// RabbitMQ and Redis): auto-enrollment → outbox → fanout `notify` → queues `email` / `webhook` → SMTP / HTTP.
//
//   java -cp "$CP" bench/NotifyBench.java --base http://127.0.0.1:PORT --key key.pem --smtp-port P --hook-port P \
//        [--rate 200] [--duration 20] [--b-duration 20] [--b-concurrency 32] [--b-classes 1000] [--waiting 15]
//
// CP = target/classes plus the dependency classpath (or the shaded target/enrollment-service.jar): nimbus-jose-jwt,
// greenmail and jackson come from there. Everything listens on and talks to 127.0.0.1 only; every loop ends by count
// and by time, and the program exits by itself (exit code 1 when a phase lost events or the setup failed).
//
// Setup: classes of capacity 1, each with one seated student and `waiting` students on its waiting list, each of
// them subscribed with an email address and a webhook to this program. A drop by the seated student promotes the
// first waiting one: one `enrolled` event → one webhook (received here) + one email (accepted by GreenMail here).
// Phase A drives drops at a fixed rate and measures latency = webhook arrival − event occurredAt.
// Phase B drives drops from N concurrent loops as fast as the API answers and measures throughput.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class NotifyBench {

    static final ObjectMapper JSON = new ObjectMapper();

    // ---- options ------------------------------------------------------------------------------------------------

    static String base;
    static int smtpPort;
    static int hookPort;
    static Path keyFile;
    static double rate = 200;
    static int durationA = 20;
    static int durationB = 20;
    static int concurrencyB = 32;
    static int classesB = 1000;
    static int waiting = 15;
    static int setupThreads = 16;
    static int drainSeconds = 120;

    // ---- shared state -------------------------------------------------------------------------------------------

    static HttpClient http;
    static ExecutorService httpPool;
    static RSASSASigner signer;
    static String registrarToken;
    static long instructorId;
    static final AtomicLong nextStudentId = new AtomicLong(50_000_000L);
    static final AtomicInteger nextCourse = new AtomicInteger(1);

    /** classId → phase ('A' or 'B'), to sort arriving webhooks into their phase. */
    static final Map<Long, Character> phaseOfClass = new ConcurrentHashMap<>();
    /** studentId → webhook secret bytes (checks every signature) */
    static final Map<Long, byte[]> secrets = new ConcurrentHashMap<>();
    /** promoted studentId → when the drop that promoted them was sent (System.currentTimeMillis) */
    static final Map<Long, Long> dropSentAt = new ConcurrentHashMap<>();
    static final Map<String, Long> seenEvents = new ConcurrentHashMap<>();

    record Arrival(char phase, long arrivedAt, long occurredAt, long dropSent) {
    }

    static final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    static final AtomicInteger duplicates = new AtomicInteger();
    static final AtomicInteger badSignatures = new AtomicInteger();
    static final AtomicInteger unknownHooks = new AtomicInteger();
    static final AtomicInteger[] received = {new AtomicInteger(), new AtomicInteger()}; // A, B

    /** One class: its students in order; the seated one is at `next - 1`. */
    static final class Course {
        final long id;
        final String[] tokens;   // [0] = first seated, [1..] = waiting, in order
        final long[] students;
        int seated = 0;          // index of the student holding the seat
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

    public static void main(String[] args) throws Exception {
        parse(args);
        long started = System.currentTimeMillis();
        Thread watchdog = new Thread(() -> {
            // the whole run is bounded: setup, both phases and their drains
            long limit = 600_000L + 1000L * (durationA + durationB + 2L * drainSeconds);
            try {
                Thread.sleep(limit);
                System.out.println("!! watchdog: the run exceeded " + limit / 1000 + " s, exiting");
                System.exit(3);
            } catch (InterruptedException ignored) {
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();

        signer = new RSASSASigner(readKey(keyFile));
        httpPool = Executors.newFixedThreadPool(Math.max(16, concurrencyB));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpPool)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        HttpServer hooks = startReceiver();
        System.out.printf("bench: GreenMail SMTP on 127.0.0.1:%d, webhook receiver on 127.0.0.1:%d, service %s%n",
                smtpPort, hookPort, base);

        boolean ok = false;
        try {
            registrarToken = JSON.readTree(call("POST", "/auth/login", null,
                    "{\"username\":\"registrar\",\"password\":\"registrar\"}", 200)).get("access_token").asText();
            instructorId = JSON.readTree(call("POST", "/registrar/users", registrarToken,
                    "{\"username\":\"bench-notify\",\"password\":\"bench-password\",\"name\":\"Bench Instructor\","
                            + "\"roles\":[\"Instructor\"]}", 201)).get("id").asLong();

            int classesA = (int) Math.ceil(rate * durationA / waiting * 1.1) + 4;
            List<Course> a = setup('A', classesA);
            boolean okA = phaseA(a, mail);
            List<Course> b = setup('B', classesB);
            boolean okB = phaseB(b, mail);
            ok = okA && okB;
        } finally {
            hooks.stop(0);
            mail.stop();
            httpPool.shutdownNow();
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
                courses.add(f.get(300, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        long ms = System.currentTimeMillis() - t0;
        int requests = count * (2 + 2 * waiting);
        System.out.printf("setup %c: %d classes × (1 seated + %d waiting, subscribed) = %d requests in %.1f s (%.0f req/s)%n",
                phase, count, waiting, requests, ms / 1000.0, requests * 1000.0 / ms);
        return courses;
    }

    static Course newCourse(char phase) throws Exception {
        int n = nextCourse.getAndIncrement();
        String body = String.format("{\"department\":\"BENCH\",\"courseCode\":\"NB %c%05d\",\"section\":1,"
                + "\"title\":\"Notify bench %c%d\",\"instructorId\":%d,\"capacity\":1}", phase, n, phase, n, instructorId);
        long classId = JSON.readTree(call("POST", "/registrar/classes", registrarToken, body, 201)).get("id").asLong();
        phaseOfClass.put(classId, phase);
        long[] students = new long[waiting + 1];
        String[] tokens = new String[waiting + 1];
        for (int k = 0; k <= waiting; k++) {
            students[k] = nextStudentId.incrementAndGet();
            tokens[k] = studentToken(students[k]);
            if (k > 0) {
                String sub = String.format("{\"email\":\"s%d@bench.test\",\"callbackUrl\":\"http://127.0.0.1:%d/hook\"}",
                        students[k], hookPort);
                JsonNode answer = JSON.readTree(call("POST", "/student/subscribe/" + classId, tokens[k], sub, 201));
                secrets.put(students[k], Base64.getDecoder().decode(answer.get("secret").asText().substring(6)));
            }
            call("POST", "/student/enrollments/" + classId, tokens[k], null, k == 0 ? 201 : 202);
        }
        return new Course(classId, students, tokens);
    }

    // ---- phase A: latency at a fixed rate -----------------------------------------------------------------------

    static boolean phaseA(List<Course> courses, GreenMail mail) throws Exception {
        int target = (int) Math.round(rate * durationA);
        System.out.printf("%n== phase A: %d drops at %.0f/s for %d s over %d classes%n", target, rate, durationA,
                courses.size());
        int mailBefore = mail.getReceivedMessages().length;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger noFreeClass = new AtomicInteger();
        Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
        AtomicLong dropLatencySum = new AtomicLong();
        long[] dropMax = {0};
        int[] cursor = {0};
        long t0 = System.currentTimeMillis();
        long end = t0 + durationA * 1000L;
        CountDownLatch done = new CountDownLatch(1);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = Math.max(1, (long) (1e9 / rate));
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = ticker.scheduleAtFixedRate(() -> {
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
                noFreeClass.incrementAndGet();
                return;
            }
            sent.incrementAndGet();
            Course c = course;
            long promoted = c.students[c.seated + 1];
            long sentAt = System.currentTimeMillis();
            dropSentAt.put(promoted, sentAt);
            http.sendAsync(drop(c), HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                long took = System.currentTimeMillis() - sentAt;
                dropLatencySum.addAndGet(took);
                synchronized (dropMax) {
                    dropMax[0] = Math.max(dropMax[0], took);
                }
                answered.incrementAndGet();
                if (err == null && resp.statusCode() == 200) {
                    c.seated++;
                    events.incrementAndGet();
                } else {
                    failures.computeIfAbsent(err != null ? -1 : resp.statusCode(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
                c.inFlight.set(false);
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await(durationA + 5L, TimeUnit.SECONDS);
        task[0].cancel(false);
        ticker.shutdownNow();
        long sendEnd = System.currentTimeMillis();
        // the answers still in flight
        long answerDeadline = sendEnd + 30_000;
        while (answered.get() < sent.get() && System.currentTimeMillis() < answerDeadline) {
            Thread.sleep(5);
        }
        long sendingMs = sendEnd - t0;
        System.out.printf("drops sent: %d in %.1f s (%.1f/s), answered 200: %d, failed: %s, no free class at a tick: %d%n",
                sent.get(), sendingMs / 1000.0, sent.get() * 1000.0 / sendingMs, events.get(), failures,
                noFreeClass.get());
        System.out.printf("drop answer time: mean %.1f ms, max %d ms%n",
                answered.get() == 0 ? 0.0 : dropLatencySum.get() / (double) answered.get(), dropMax[0]);

        Drain drain = drain(0, events.get(), mail, mailBefore, sendEnd);
        List<Arrival> mine = arrivals.stream().filter(x -> x.phase == 'A').toList();
        long[] lat = mine.stream().mapToLong(x -> x.arrivedAt - x.occurredAt).sorted().toArray();
        long[] e2e = mine.stream().filter(x -> x.dropSent > 0).mapToLong(x -> x.arrivedAt - x.dropSent).sorted().toArray();
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        System.out.printf("events (promotions): %d, webhooks received: %d, emails accepted: %d%n",
                events.get(), received[0].get(), drain.emails);
        System.out.printf("latency occurredAt → webhook arrival (ms): %s%n", percentiles(lat));
        System.out.printf("latency drop request sent → webhook arrival (ms): %s%n", percentiles(e2e));
        System.out.printf("last webhook arrived %.2f s after the last drop was sent; all emails in %.2f s after%n",
                (lastArrival - sendEnd) / 1000.0, drain.emailsDoneMs / 1000.0);
        System.out.printf("webhooks received over the phase: %.1f/s (%d in %.1f s from the first drop to the last webhook)%n",
                received[0].get() * 1000.0 / Math.max(1, lastArrival - t0), received[0].get(),
                (lastArrival - t0) / 1000.0);
        boolean complete = received[0].get() == events.get() && drain.emails == events.get();
        verdict("A", complete);
        return complete;
    }

    // ---- phase B: throughput ------------------------------------------------------------------------------------

    static boolean phaseB(List<Course> courses, GreenMail mail) throws Exception {
        System.out.printf("%n== phase B: %d concurrent drop loops for %d s over %d classes (%d events at most)%n",
                concurrencyB, durationB, courses.size(), courses.size() * waiting);
        int mailBefore = mail.getReceivedMessages().length;
        ConcurrentLinkedQueue<Course> free = new ConcurrentLinkedQueue<>(courses);
        AtomicInteger events = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
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
                        if (events.get() + failuresTotal(failures) >= maxDrops) {
                            break;
                        }
                        sleep(1);
                        continue;
                    }
                    sent.incrementAndGet();
                    long promoted = c.students[c.seated + 1];
                    dropSentAt.put(promoted, System.currentTimeMillis());
                    try {
                        HttpResponse<String> resp = http.send(drop(c), HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() == 200) {
                            c.seated++;
                            events.incrementAndGet();
                        } else {
                            failures.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                    }
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
        int mailInWindow = mail.getReceivedMessages().length - mailBefore;
        long mailCountedAt = System.currentTimeMillis();

        System.out.printf("drops: %d answered 200 in %.1f s = %.1f drops/s; failed: %s%s%n", events.get(),
                (sendEnd - t0) / 1000.0, events.get() * 1000.0 / (sendEnd - t0), failures,
                exhaustedAt.get() > 0 ? String.format(" (supply of waiting students exhausted after %.1f s)",
                        (exhaustedAt.get() - t0) / 1000.0) : "");
        Drain drain = drain(1, events.get(), mail, mailBefore, sendEnd);
        List<Arrival> mine = arrivals.stream().filter(x -> x.phase == 'B').toList();
        long lastArrival = mine.stream().mapToLong(Arrival::arrivedAt).max().orElse(sendEnd);
        long[] lat = mine.stream().mapToLong(x -> x.arrivedAt - x.occurredAt).sorted().toArray();
        int hooks = received[1].get();
        System.out.printf("webhooks received in the %.1f s window: %d = %.1f webhooks/s%n", windowMs / 1000.0,
                hooksInWindow, hooksInWindow * 1000.0 / windowMs);
        System.out.printf("emails accepted by the window's end (counted %d ms after it): %d = %.1f emails/s%n",
                mailCountedAt - windowEnd, mailInWindow, mailInWindow * 1000.0 / windowMs);
        System.out.printf("after the window: last webhook %.2f s later (drain); all %d webhooks over %.1f s = %.1f/s; "
                        + "emails %d, all accepted %.2f s after the window%n",
                (lastArrival - windowEnd) / 1000.0, hooks, (lastArrival - t0) / 1000.0,
                hooks * 1000.0 / Math.max(1, lastArrival - t0), drain.emails, drain.emailsDoneMs / 1000.0);
        System.out.printf("latency occurredAt → webhook arrival under full load (ms): %s%n", percentiles(lat));
        System.out.printf("throughput per second of the window (webhooks arrived): %s%n", perSecond(mine, t0, lastArrival));
        boolean complete = hooks == events.get() && drain.emails == events.get();
        verdict("B", complete);
        return complete;
    }

    static int failuresTotal(Map<Integer, AtomicInteger> failures) {
        return failures.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    // ---- drain --------------------------------------------------------------------------------------------------

    record Drain(int emails, long emailsDoneMs) {
    }

    /**
     * Waits until every expected webhook and email of the phase arrived, or nothing arrived for 20 s, or
     * {@code drainSeconds} passed. Emails are counted every 250 ms (GreenMail copies its store to count).
     */
    static Drain drain(int phase, int expected, GreenMail mail, int mailBefore, long from) throws InterruptedException {
        long deadline = from + drainSeconds * 1000L;
        long lastProgress = System.currentTimeMillis();
        int lastSeen = -1;
        int emails = 0;
        long emailsDone = -1;
        while (System.currentTimeMillis() < deadline) {
            emails = mail.getReceivedMessages().length - mailBefore;
            if (emails >= expected && emailsDone < 0) {
                emailsDone = System.currentTimeMillis() - from;
            }
            int hooks = received[phase].get();
            if (hooks + emails != lastSeen) {
                lastSeen = hooks + emails;
                lastProgress = System.currentTimeMillis();
            }
            if (hooks >= expected && emails >= expected) {
                break;
            }
            if (System.currentTimeMillis() - lastProgress > 20_000) {
                System.out.printf("!! nothing arrived for 20 s: %d of %d webhooks, %d of %d emails%n",
                        hooks, expected, emails, expected);
                break;
            }
            Thread.sleep(250);
        }
        return new Drain(emails, emailsDone < 0 ? System.currentTimeMillis() - from : emailsDone);
    }

    static void verdict(String phase, boolean complete) {
        System.out.printf("phase %s: %s; duplicates %d, bad signatures %d, webhooks of unknown classes %d%n", phase,
                complete ? "every event delivered by webhook and by email" : "!! EVENTS MISSING",
                duplicates.get(), badSignatures.get(), unknownHooks.get());
    }

    // ---- webhook receiver ---------------------------------------------------------------------------------------

    static HttpServer startReceiver() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), hookPort), 1024);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "hook");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/hook", exchange -> {
            long now = System.currentTimeMillis();
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode event = JSON.readTree(body);
                String id = event.get("id").asText();
                long classId = event.get("classId").asLong();
                long studentId = event.get("studentId").asLong();
                Character phase = phaseOfClass.get(classId);
                if (!checkSignature(exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body, secrets.get(studentId))) {
                    badSignatures.incrementAndGet();
                }
                if (phase == null) {
                    unknownHooks.incrementAndGet();
                } else if (seenEvents.putIfAbsent(id, now) != null) {
                    duplicates.incrementAndGet();
                } else {
                    long occurred = Instant.parse(event.get("occurredAt").asText()).toEpochMilli();
                    Long sent = dropSentAt.get(studentId);
                    arrivals.add(new Arrival(phase, now, occurred, sent == null ? 0 : sent));
                    received[phase == 'A' ? 0 : 1].incrementAndGet();
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

    static boolean checkSignature(String id, String timestamp, String signature, byte[] body, byte[] secret) {
        if (id == null || timestamp == null || signature == null || secret == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
            return Arrays.asList(signature.split(" ")).contains(expected);
        } catch (Exception e) {
            return false;
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    static HttpRequest drop(Course c) {
        return HttpRequest.newBuilder(URI.create(base + "/student/enrollments/" + c.id)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + c.tokens[c.seated]).DELETE().build();
    }

    /** One request; fails unless the answer has the expected status. */
    static String call(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + resp.statusCode() + " (expected "
                    + expected + "): " + resp.body());
        }
        return resp.body();
    }

    // ---- tokens -------------------------------------------------------------------------------------------------

    static PrivateKey readKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    static String studentToken(long id) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(Long.toString(id))
                .claim("roles", List.of("Student")).claim("name", "Student " + id)
                .issuer("enrollment-service").audience("enrollment-api")
                .issueTime(new Date(now)).expirationTime(new Date(now + 3 * 3_600_000L))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    // ---- figures ------------------------------------------------------------------------------------------------

    static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "no samples";
        }
        return String.format("n=%d p50=%d p90=%d p99=%d max=%d", sorted.length, pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted[sorted.length - 1]);
    }

    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
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
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            usage("every option takes a value");
        }
        for (String key : opts.keySet()) {
            if (!List.of("base", "key", "smtp-port", "hook-port", "rate", "duration", "b-duration", "b-concurrency",
                    "b-classes", "waiting", "setup-threads", "drain").contains(key)) {
                usage("unknown option --" + key);
            }
        }
        if (!opts.containsKey("base") || !opts.containsKey("key") || !opts.containsKey("smtp-port")
                || !opts.containsKey("hook-port")) {
            usage("--base, --key, --smtp-port and --hook-port are required");
        }
        base = opts.get("base").replaceAll("/$", "");
        if (!base.startsWith("http://127.0.0.1:")) {
            usage("--base must be http://127.0.0.1:PORT");
        }
        keyFile = Path.of(opts.get("key"));
        smtpPort = Integer.parseInt(opts.get("smtp-port"));
        hookPort = Integer.parseInt(opts.get("hook-port"));
        rate = Double.parseDouble(opts.getOrDefault("rate", "200"));
        durationA = Integer.parseInt(opts.getOrDefault("duration", "20"));
        durationB = Integer.parseInt(opts.getOrDefault("b-duration", Integer.toString(durationA)));
        concurrencyB = Integer.parseInt(opts.getOrDefault("b-concurrency", "32"));
        classesB = Integer.parseInt(opts.getOrDefault("b-classes", "1000"));
        waiting = Integer.parseInt(opts.getOrDefault("waiting", "15"));
        setupThreads = Integer.parseInt(opts.getOrDefault("setup-threads", "16"));
        drainSeconds = Integer.parseInt(opts.getOrDefault("drain", "120"));
        if (rate <= 0 || rate > 10_000 || durationA < 1 || durationA > 600 || durationB < 1 || durationB > 600
                || concurrencyB < 1 || concurrencyB > 512 || classesB < 1 || classesB > 20_000 || waiting < 1
                || waiting > 15 || setupThreads < 1 || setupThreads > 128 || drainSeconds < 5 || drainSeconds > 900) {
            usage("an option is out of range");
        }
    }

    static void usage(String problem) {
        System.err.println("NotifyBench: " + problem);
        System.err.println("usage: java -cp CP bench/NotifyBench.java --base http://127.0.0.1:PORT --key KEY.pem "
                + "--smtp-port P --hook-port P [--rate 200] [--duration 20] [--b-duration 20] [--b-concurrency 32] "
                + "[--b-classes 1000] [--waiting 15] [--setup-threads 16] [--drain 120]");
        System.exit(2);
    }
}
