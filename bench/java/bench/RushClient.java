package bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import store.DynamoDb;
import store.Tables;
import store.TlsTrust;
import support.StoredStudents;
import support.Tokens;

/**
 * The rush's load client: the service's {@link Client} with a thread per request in flight, the students' tokens
 * (minted with the instances' key by support.Tokens) and, with --dynamodb, their user rows, and the enrollment
 * requests, sent by a pool of threads released at once ({@link #fire}).
 */
final class RushClient implements AutoCloseable {

    /** One student's request: sent and answered (System.nanoTime), its status (-1: none) and the problem's code. */
    record Answer(int student, int course, int instance, long sentNs, long doneNs, int status, String code) {
        double latencyMs() {
            return (doneNs - sentNs) / 1e6;
        }
    }

    /** Where request i goes. */
    interface Target {
        /** {classId, instance index} of request i */
        long[] of(int i);
    }

    final RushOptions options;
    final Client client;
    final HttpClient http;
    private final Tokens signing;
    /** DynamoDB Local straight (--dynamodb), to write the students' user rows; null without --dynamodb. */
    private final DynamoDbClient users;
    /** Student ids of this run (far above the store's own counters). */
    private final AtomicLong nextStudent = new AtomicLong(System.currentTimeMillis() * 10_000);
    private final AtomicInteger nextCourse = new AtomicInteger();

    /**
     * A client for the rush these options describe.
     *
     * @throws IllegalStateException when --key holds no RSA private key
     */
    RushClient(RushOptions options) {
        this.options = options;
        client = new Client(Math.max(32, options.concurrency));
        http = client.http;
        signing = Tokens.of(options.keyFile);
        users = options.dynamodb == null ? null : DynamoDb.client(URI.create(options.dynamodb),
                System.getenv().getOrDefault("AWS_REGION", "us-east-1"), TlsTrust.of(null), Duration.ofSeconds(30));
    }

    /** Sends request i (0 ≤ i < n) with {@code threads} in flight at most, all released at once. */
    Answer[] fire(int n, int threads, Target target, String[] tokens) throws InterruptedException {
        Answer[] answers = new Answer[n];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds * 2L);
        for (int k = 0; k < threads; k++) {
            Thread thread = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    for (int i = next.getAndIncrement(); i < n && System.nanoTime() < deadline;
                         i = next.getAndIncrement()) {
                        long[] where = target.of(i);
                        answers[i] = enroll(i, where[0], (int) where[1], tokens[i]);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "rush-" + k);
            thread.setDaemon(true);
            thread.start();
        }
        ready.await();
        go.countDown();
        if (!done.await(options.timeoutSeconds * 2L + 10, TimeUnit.SECONDS)) {
            System.out.println("!! the rush did not finish in time");
        }
        for (int i = 0; i < n; i++) {
            if (answers[i] == null) {
                long now = System.nanoTime();
                answers[i] = new Answer(i, 0, 0, now, now, -1, "not sent");
            }
        }
        return answers;
    }

    private Answer enroll(int i, long classId, int instance, String token) {
        URI uri = URI.create(options.bases.get(instance) + "/student/enrollments/" + classId);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(options.timeoutSeconds)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        long sent = System.nanoTime();
        try {
            HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
            long done = System.nanoTime();
            String code = null;
            if (resp.statusCode() >= 300) {
                try {
                    code = Client.JSON.readTree(resp.body()).path("code").asText(null);
                } catch (IOException e) {
                    code = "unparsable";
                }
            }
            return new Answer(i, (int) classId, instance, sent, done, resp.statusCode(), code);
        } catch (IOException e) {
            return new Answer(i, (int) classId, instance, sent, System.nanoTime(), -1,
                    e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(i, (int) classId, instance, sent, System.nanoTime(), -1, "interrupted");
        }
    }

    /** A new class of {@code seats} seats on the first instance ({@link Client#signIn} first); returns its id. */
    long newClass(int seats) throws Exception {
        int n = nextCourse.incrementAndGet();
        return client.newClass(options.bases.get(0), "RUSH", "RUSH " + client.tag + "-" + n, n, "Rush", seats);
    }

    /** Takes {@code n} student ids of this run no one took yet; returns the first. */
    long students(int n) {
        return nextStudent.getAndAdd(n) + 1;
    }

    /** Tokens of {@code n} new students ({@link #students}), made real as {@link #tokens(long, int)} says. */
    String[] tokens(int n) throws Exception {
        return tokens(students(n), n);
    }

    /**
     * Tokens of students {@code first} … {@code first + n − 1}, in that order; with --dynamodb, their user rows
     * are written first ({@link #storeStudents}).
     */
    String[] tokens(long first, int n) throws Exception {
        storeStudents(first, n);
        String[] tokens = new String[n];
        ExecutorService minting = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<?>> parts = new ArrayList<>();
        int slice = (n + 7) / 8;
        for (int from = 0; from < n; from += slice) {
            int start = from;
            parts.add(minting.submit(() -> {
                for (int i = start; i < Math.min(n, start + slice); i++) {
                    tokens[i] = signing.student(first + i);
                }
                return null;
            }));
        }
        for (Future<?> part : parts) {
            part.get();
        }
        minting.shutdown();
        return tokens;
    }

    /**
     * Makes students {@code first} … {@code first + n − 1} real: a user row with the Student role each, in the
     * users table of --store-prefix on --dynamodb (nothing without --dynamodb).
     *
     * @throws IllegalStateException when that DynamoDB has no such table (--store-prefix is not the instances')
     */
    private void storeStudents(long first, int n) {
        if (users == null) {
            return;
        }
        List<Long> ids = new ArrayList<>(n);
        for (long id = first; id < first + n; id++) {
            ids.add(id);
        }
        Tables tables = new Tables(options.storePrefix);
        try {
            StoredStudents.put(users, tables, ids);
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("no table " + tables.users() + " on " + options.dynamodb
                    + ": --store-prefix must be the instances' STORE_PREFIX", e);
        }
    }

    @Override
    public void close() {
        if (users != null) {
            users.close();
        }
        client.close();
    }
}
