package bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import support.Tokens;

/**
 * NotifyBench's client of the service: the service's {@link Client}, the students' tokens (support.Tokens, with the
 * service's key), the classes of each phase with their subscribed waiting students ({@link #setup}), and the drops
 * that promote them. Every class and subscription it makes is registered with the {@link HookReceiver}, which sorts
 * and checks the webhooks by them.
 */
final class NotifyClient implements AutoCloseable {

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

    final HttpClient http;
    private final NotifyOptions options;
    private final HookReceiver hooks;
    private final Tokens signing;
    private final Client client;
    /** Fresh per run (far above the store's own counters): a second run on the same stores collides with nothing. */
    private final AtomicLong nextStudentId = new AtomicLong(System.currentTimeMillis() * 1000);
    private final AtomicInteger nextCourse = new AtomicInteger(1);

    /**
     * A client of the service at --base, minting with --key.
     *
     * @throws IllegalStateException when --key holds no RSA private key
     */
    NotifyClient(NotifyOptions options, HookReceiver hooks) {
        this.options = options;
        this.hooks = hooks;
        signing = Tokens.of(options.keyFile);
        client = new Client(Math.max(16, options.concurrencyB));
        http = client.http;
    }

    /** Signs the registrar in and makes this run's instructor ({@link Client#signIn}). */
    void signIn() throws Exception {
        client.signIn(options.base, "bench-notify");
    }

    /** A student id of this run no one took yet. */
    long newStudent() {
        return nextStudentId.incrementAndGet();
    }

    /** A bearer token of that student. */
    String token(long student) {
        return signing.student(student);
    }

    /**
     * {@code count} classes of capacity 1 for the phase, in parallel (--setup-threads), each with one seated student
     * and --waiting students on its waiting list, subscribed with an email address and a webhook; prints how long
     * it took.
     */
    List<Course> setup(char phase, int count) throws Exception {
        long t0 = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(options.setupThreads);
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
        int requests = count * (2 + 2 * options.waiting);
        System.out.printf("%nsetup %c: %d classes × (1 seated + %d waiting, subscribed) = %d requests in %.1f s "
                + "(%.0f req/s)%n",
                phase, count, options.waiting, requests, ms / 1000.0, requests * 1000.0 / ms);
        return courses;
    }

    /** A class of capacity 1 whose webhooks belong to {@code phase}; returns its id. */
    long newClass(char phase) throws Exception {
        int n = nextCourse.getAndIncrement();
        long classId = client.newClass(options.base, "BENCH", String.format("NB %s %c%05d", client.tag, phase, n), 1,
                "Notify bench " + phase + n, 1);
        hooks.classOf(classId, phase);
        return classId;
    }

    /** A webhook-only subscription to any target. */
    void subscribeTo(long classId, long student, String callbackUrl) throws Exception {
        JsonNode answer = call("POST", "/student/subscribe/" + classId, signing.student(student),
                "{\"callbackUrl\":\"" + callbackUrl + "\"}", 201);
        hooks.secret(student, answer.get("secret").asText());
    }

    /** A subscription to the receiver's path of the student, and with {@code email} to an address of the sink. */
    void subscribe(long classId, long student, String token, boolean email) throws Exception {
        String sub = email
                ? String.format("{\"email\":\"s%d@bench.test\",\"callbackUrl\":\"%s\"}", student,
                        hooks.hookUrl(student))
                : String.format("{\"callbackUrl\":\"%s\"}", hooks.hookUrl(student));
        JsonNode answer = call("POST", "/student/subscribe/" + classId, token, sub, 201);
        hooks.secret(student, answer.get("secret").asText());
    }

    private Course newCourse(char phase) throws Exception {
        long classId = newClass(phase);
        long[] students = new long[options.waiting + 1];
        String[] tokens = new String[options.waiting + 1];
        for (int k = 0; k <= options.waiting; k++) {
            students[k] = newStudent();
            tokens[k] = signing.student(students[k]);
            if (k > 0) {
                subscribe(classId, students[k], tokens[k], true);
            }
            call("POST", "/student/enrollments/" + classId, tokens[k], null, k == 0 ? 201 : 202);
        }
        return new Course(classId, students, tokens);
    }

    /** The seated student's drop of the class (which promotes the first waiting one). */
    HttpRequest drop(Course c) {
        return HttpRequest.newBuilder(URI.create(options.base + "/student/enrollments/" + c.id))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + c.tokens[c.seated]).DELETE()
                .build();
    }

    /** One request to the service; fails unless the answer has the expected status. */
    private JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        return client.call(options.base, method, path, token, body, expected);
    }

    @Override
    public void close() {
        client.close();
    }
}
