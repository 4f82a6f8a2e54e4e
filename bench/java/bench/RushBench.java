package bench;

import com.amazonaws.services.dynamodbv2.local.server.AbstractLocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import embedded.EmbeddedBroker;
import embedded.EmbeddedRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import store.DynamoDb;
import store.Tables;
import store.TlsTrust;
import support.StoredStudents;
import support.Tokens;

/**
 * Registration rush: thousands of students enroll at the same moment (bench/rush.sh starts everything and calls
 * this program in each of its modes).
 *
 *   java -cp "$CP" bench.RushBench dynamodb            DynamoDB Local (in memory) on 127.0.0.1, counting its requests
 *   java -cp "$CP" bench.RushBench broker              an AMQP 0-9-1 broker (the project's embedded Qpid) on 127.0.0.1
 *   java -cp "$CP" bench.RushBench redis               the project's embedded redis-server (when Debian's is missing)
 *   java -cp "$CP" bench.RushBench probe http://127.0.0.1:PORT [SECONDS]
 *                                                DynamoDB Local's own throughput, from an SDK client
 *   java -cp "$CP" bench.RushBench rush --bases http://127.0.0.1:P1[,http://127.0.0.1:P2] --key key.pem --label NAME
 *        --students N --classes C --capacity K [--concurrency 256] [--latency-ms 10] [--proxy URL] [--dynamodb URL]
 *        [--pids name=pid,...] [--warmup 1000] [--warm BASE,...]
 *        [--tx-ms MS --tx-rate N --get-rate N] [--timeout 60] [--results FILE] [--waves W [--gap 60]]
 *        [--store-prefix rush-]
 *
 * CP = the class path the build compiles this with (bench_classpath in bench/processes.sh: target/test-classes,
 * target/classes and target/bench-classpath.txt): the embedded stand-ins, DynamoDB Local, Jetty 12, the AWS SDK and
 * support.Tokens come from there. Servers print one line "&lt;mode&gt; &lt;endpoint&gt;" when up and stop on SIGTERM.
 * Everything listens on and talks to 127.0.0.1 only; the rush ends by count (every student once) and by time (a
 * watchdog), and the program exits by itself (exit code 1 when the outcome counts or the stored state are not the
 * expected ones, 2 on bad arguments, 3 on the watchdog).
 *
 * The rush: C classes of capacity K; student i asks for class i % C through instance (i / C) % instances, so every
 * class gets students from every instance (conflicts only happen across instances). A pool of --concurrency threads
 * sends the requests, all released at once: at most that many are in flight, the rest wait in the client.
 * Latency = request sent → answer received (per request); "since start" = rush start → answer (what a student who
 * clicked at the start sees, client queue included). Expected per class with s students: min(s, K) 201,
 * min(s - K, 15) 202, the rest 409 class-full.
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
public class RushBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int WAITLIST_MAX = 15;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("a mode is required");
        }
        switch (args[0]) {
            case "dynamodb" -> dynamoDb();
            case "broker" -> {
                EmbeddedBroker broker = EmbeddedBroker.start(null);   // in memory
                serve("broker " + broker.endpoint(), broker::close);
            }
            case "redis" -> {
                EmbeddedRedis redis = EmbeddedRedis.start(null);   // in memory
                serve("redis " + redis.endpoint(), redis::close);
            }
            case "probe" -> probe(args.length > 1 ? args[1] : null, args.length > 2 ? Integer.parseInt(args[2]) : 4);
            case "rush" -> System.exit(new Rush(Arrays.copyOfRange(args, 1, args.length)).run());
            default -> usage("unknown mode " + args[0]);
        }
    }

    /** Prints the ready line, then waits for SIGTERM/SIGINT, which runs {@code stop}. */
    static void serve(String ready, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }, "rush-bench-stop"));
        System.out.println(ready);
        System.out.flush();
        stopped.await();
    }

    // ---- DynamoDB Local, counting ---------------------------------------------------------------------------------

    /**
     * DynamoDB Local in memory, built as the project's EmbeddedDynamoDb builds it (loopback only, no telemetry), with
     * a wrapper that counts the requests per operation, the time each took inside DynamoDB Local (its queue
     * included) and the most in flight at once. {@code GET /__bench/counters} answers them as JSON.
     */
    static void dynamoDb() throws Exception {
        AbstractLocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
                new LocalDynamoDBRequestHandler(0, true, null, true, false), null);
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Handler.Wrapper counting = new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if ("/__bench/counters".equals(request.getHttpURI().getPath())) {
                    Map<String, Object> body = new TreeMap<>();
                    counts.forEach((op, n) -> body.put(op, Map.of("requests", n.sum(),
                            "nanos", nanos.get(op).sum())));
                    body.put("maxInFlight", maxInFlight.getAndSet(inFlight.get()));
                    response.setStatus(200);
                    response.getHeaders().put("Content-Type", "application/json");
                    response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
                    return true;
                }
                String target = request.getHeaders().get("X-Amz-Target");
                String op = target == null ? "other" : target.substring(target.indexOf('.') + 1);
                counts.computeIfAbsent(op, k -> new LongAdder()).increment();
                LongAdder time = nanos.computeIfAbsent(op, k -> new LongAdder());
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                long start = System.nanoTime();
                Callback timed = new Callback() {
                    @Override
                    public void succeeded() {
                        done();
                        callback.succeeded();
                    }

                    @Override
                    public void failed(Throwable x) {
                        done();
                        callback.failed(x);
                    }

                    @Override
                    public Invocable.InvocationType getInvocationType() {
                        return callback.getInvocationType();
                    }

                    private void done() {
                        time.add(System.nanoTime() - start);
                        inFlight.decrementAndGet();
                    }
                };
                return super.handle(request, response, timed);
            }
        };
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("dynamodb-local");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(counting);
        server.start();
        serve("dynamodb http://127.0.0.1:" + connector.getLocalPort(), () -> {
            try {
                server.stop();
                handler.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
    }

    // ---- DynamoDB Local alone ------------------------------------------------------------------------------------

    /**
     * What DynamoDB Local does by itself on this machine, straight from an AWS SDK client (no proxy, no service):
     * TransactWriteItems shaped like a seat (+1 on a class item, put an enrollment row) one at a time and 32 at a
     * time (each thread its own class item: no conflict), then consistent GetItems 32 at a time; seconds each.
     */
    @SuppressWarnings("unchecked")   // the SDK's builder-consumer varargs
    static void probe(String endpoint, int seconds) throws Exception {
        if (endpoint == null || !endpoint.startsWith("http://127.0.0.1:")) {
            usage("probe needs DynamoDB Local's http://127.0.0.1:PORT");
        }
        DynamoDbClient dynamo =
                DynamoDbClient.builder()
                        .endpointOverride(URI.create(endpoint))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "local")))
                        .httpClientBuilder(ApacheHttpClient.builder()
                                .maxConnections(64))
                        .build();
        String table = "rushbench-probe-" + Long.toString(System.currentTimeMillis(), 36);
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id")
                        .attributeType(ScalarAttributeType.N)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        AtomicLong rows = new AtomicLong(1_000_000);
        for (int c = 0; c < 32; c++) {
            int id = c;
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                    "id", AttributeValue.fromN(Integer.toString(id)),
                    "enrolled", AttributeValue.fromN("0"))));
        }
        interface Op {
            void run(int thread);
        }
        Op seat = thread -> dynamo.transactWriteItems(b -> b.transactItems(
                t -> t.update(u -> u.tableName(table)
                        .key(Map.of("id", AttributeValue.fromN(
                                Integer.toString(thread))))
                        .updateExpression("SET enrolled = enrolled + :one")
                        .conditionExpression("attribute_exists(id)")
                        .expressionAttributeValues(Map.of(":one",
                                AttributeValue.fromN("1")))),
                t -> t.put(p -> p.tableName(table).item(Map.of("id",
                        AttributeValue.fromN(
                                Long.toString(rows.incrementAndGet()))))
                        .conditionExpression("attribute_not_exists(id)"))));
        Op read = thread -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromN(
                        Integer.toString(thread)))));
        record Phase(String name, Op op, int threads) {
        }
        for (Phase phase : List.of(new Phase("TransactWriteItems, 1 at a time", seat, 1),
                new Phase("TransactWriteItems, 32 at a time", seat, 32),
                new Phase("GetItem (consistent), 32 at a time", read, 32))) {
            for (int pass = 0; pass < 2; pass++) {   // the first pass warms up, the second is reported
                AtomicLong done = new AtomicLong();
                AtomicLong errors = new AtomicLong();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(pass == 0 ? Math.max(1, seconds / 2) : seconds);
                long start = System.nanoTime();
                List<Thread> threads = new ArrayList<>();
                for (int k = 0; k < phase.threads(); k++) {
                    int thread = k;
                    Thread t = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                phase.op().run(thread);
                                done.incrementAndGet();
                            } catch (RuntimeException e) {
                                errors.incrementAndGet();
                            }
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join();
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (pass == 1) {
                    System.out.printf("probe %s: %.0f/s (mean %.1f ms each)%s%n", phase.name(), done.get() / elapsed,
                            elapsed * phase.threads() * 1000 / Math.max(1, done.get()),
                            errors.get() == 0 ? "" : ", " + errors.get() + " errors");
                }
            }
        }
        dynamo.deleteTable(b -> b.tableName(table));
        dynamo.close();
    }

    // ---- the rush -----------------------------------------------------------------------------------------------

    record Answer(int student, int course, int instance, long sentNs, long doneNs, int status, String code) {
        double latencyMs() {
            return (doneNs - sentNs) / 1e6;
        }
    }

    static final class Rush {
        List<String> bases = new ArrayList<>();
        Path keyFile;
        String label = "rush";
        int students;
        int classes = 1;
        int capacity;
        int concurrency = 256;
        long latencyMs = 10;
        String proxy;
        String dynamodb;
        Map<String, Long> pids = new LinkedHashMap<>();
        double txMs;      // DynamoDB Local's own TransactWriteItems time, one at a time (the probe), 0 = unknown
        double txRate;    // its TransactWriteItems per second, 32 at a time
        double getRate;   // its consistent GetItems per second, 32 at a time
        int warmup = 1000;
        List<String> warm;   // the instances to warm up (null: all)
        int timeoutSeconds = 60;
        Path results;
        int waves;            // 0: no windows imported, everyone at once (the rush above); else staged by windows
        int gapSeconds = 60;  // between two waves' windows
        /** The instances' STORE_PREFIX (bench/rush.sh starts them with rush-): the users table the students go to. */
        String storePrefix = "rush-";

        Client client;
        HttpClient http;
        Tokens signing;
        /** DynamoDB Local straight (--dynamodb), to write the students' user rows; null without --dynamodb. */
        DynamoDbClient users;
        String registrar;
        /** Student ids of this run (far above the store's own counters). */
        final AtomicLong nextStudent = new AtomicLong(System.currentTimeMillis() * 10_000);
        final AtomicInteger nextCourse = new AtomicInteger();

        Rush(String[] args) {
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (!name.startsWith("--") || i + 1 >= args.length) {
                    usage("expected --name value, got " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--bases" -> bases.addAll(List.of(value.split(",")));
                    case "--key" -> keyFile = Path.of(value);
                    case "--label" -> label = value;
                    case "--students" -> students = Integer.parseInt(value);
                    case "--classes" -> classes = Integer.parseInt(value);
                    case "--capacity" -> capacity = Integer.parseInt(value);
                    case "--concurrency" -> concurrency = Integer.parseInt(value);
                    case "--latency-ms" -> latencyMs = Long.parseLong(value);
                    case "--proxy" -> proxy = value;
                    case "--dynamodb" -> dynamodb = value;
                    case "--pids" -> {
                        for (String pair : value.split(",")) {
                            String[] nv = pair.split("=");
                            if (nv.length == 2 && !nv[1].isBlank()) {
                                pids.put(nv[0], Long.parseLong(nv[1]));
                            }
                        }
                    }
                    case "--tx-ms" -> txMs = Double.parseDouble(value);
                    case "--tx-rate" -> txRate = Double.parseDouble(value);
                    case "--get-rate" -> getRate = Double.parseDouble(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--warm" -> warm = value.isBlank() ? List.of() : List.of(value.split(","));
                    case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
                    case "--results" -> results = Path.of(value);
                    case "--waves" -> waves = Integer.parseInt(value);
                    case "--gap" -> gapSeconds = Integer.parseInt(value);
                    case "--store-prefix" -> storePrefix = value;
                    default -> usage("unknown option " + name);
                }
            }
            if (bases.isEmpty() || keyFile == null || students < 1 || classes < 1 || capacity < 1 || concurrency < 1) {
                usage("--bases, --key, --students, --capacity are required (and positive)");
            }
            if (waves < 0 || (waves > 0 && students % waves != 0) || gapSeconds < 1) {
                usage("--waves must divide --students, and --gap be positive");
            }
            if (waves > 0 && dynamodb == null) {
                usage("--waves needs --dynamodb: the window import accepts only students with a user row");
            }
            List<String> addresses = new ArrayList<>(bases);
            if (proxy != null) {
                addresses.add(proxy);
            }
            if (dynamodb != null) {
                addresses.add(dynamodb);
            }
            for (String url : addresses) {
                if (!url.startsWith("http://127.0.0.1:")) {
                    usage("every address must be http://127.0.0.1:PORT, got " + url);
                }
            }
        }

        int run() throws Exception {
            // the whole run, setup and checks included, is bounded
            long limitMs = (120L + 2L * timeoutSeconds + (long) Math.max(0, waves - 1) * gapSeconds) * 1000;
            Thread watchdog = Client.watchdog(limitMs);
            client = new Client(Math.max(32, concurrency));
            http = client.http;
            signing = Tokens.of(keyFile);
            if (dynamodb != null) {
                users = DynamoDb.client(URI.create(dynamodb), System.getenv().getOrDefault("AWS_REGION", "us-east-1"),
                        TlsTrust.of(null), Duration.ofSeconds(30));
            }
            try {
                return rush();
            } finally {
                if (users != null) {
                    users.close();
                }
                client.close();
                watchdog.interrupt();
            }
        }

        int rush() throws Exception {
            client.signIn(bases.get(0), "rush");
            registrar = client.registrar();

            // warm-up (not measured): each instance named by --warm gets rushes of its own, 250 students on a fresh
            // class of 80 seats each (seats, waiting list and full answers), --warmup students in all, so that the
            // measured rush meets JIT-compiled code (the first rush on a fresh JVM is ~2x slower)
            List<String> toWarm = warm == null ? bases : warm;
            if (warmup > 0 && !toWarm.isEmpty()) {
                long t = System.nanoTime();
                int rounds = (warmup + 249) / 250;
                for (int r = 0; r < rounds; r++) {
                    List<Future<?>> warming = new ArrayList<>();
                    ExecutorService w = Executors.newFixedThreadPool(toWarm.size());
                    for (String base : toWarm) {
                        int instance = bases.indexOf(base);
                        warming.add(w.submit(() -> {
                            long course = newClass(80);
                            String[] tokens = tokens(250);
                            fire(tokens.length, Math.min(concurrency, 128), i -> new long[] {course, instance}, tokens);
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

            long[] courseIds = new long[classes];
            ExecutorService setup = Executors.newFixedThreadPool(8);
            List<Future<Long>> made = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                made.add(setup.submit(() -> newClass(capacity)));
            }
            for (int c = 0; c < classes; c++) {
                courseIds[c] = made.get(c).get();
            }
            setup.shutdown();
            long t = System.nanoTime();
            long firstStudent = nextStudent.getAndAdd(students) + 1;
            String[] tokens = tokens(firstStudent, students);
            System.out.printf("setup: %d classes of %d seats, %d student tokens minted%s in %.1f s%n", classes,
                    capacity, students, users == null ? "" : " and their user rows written",
                    (System.nanoTime() - t) / 1e9);
            Thread.sleep(1000);   // let the warm-up's tail (GC, JIT) settle

            Map<String, Long> proxyBefore = counters(proxy == null ? null : proxy + "/__proxy/counters");
            Map<String, Long> dynamoBefore = counters(dynamodb == null ? null : dynamodb + "/__bench/counters");
            Map<String, Long> cpuBefore = cpuTicks();
            Map<Long, String[]> othersBefore = allProcesses();
            long[] machineBefore = machineTicks();
            Target target = i -> new long[] {courseIds[i % classes], (i / classes) % bases.size()};
            long[] waveStarts = new long[Math.max(1, waves)];
            Answer[] answers = waves == 0 ? null : staged(firstStudent, tokens, target, waveStarts);
            long rushStart = waves == 0 ? System.nanoTime() : waveStarts[0];
            if (waves == 0) {
                answers = fire(students, concurrency, target, tokens);
            }
            long settleNs = Arrays.stream(answers).mapToLong(Answer::doneNs).max().orElse(rushStart) - rushStart;
            Map<String, Long> cpuAfter = cpuTicks();
            Map<Long, String[]> othersAfter = allProcesses();
            long[] machineAfter = machineTicks();
            Map<String, Long> dynamoAfter = counters(dynamodb == null ? null : dynamodb + "/__bench/counters");
            Map<String, Long> proxyAfter = counters(proxy == null ? null : proxy + "/__proxy/counters");
            double settle = settleNs / 1e9;

            // ---- outcomes
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Answer a : answers) {
                outcomes.merge(a.status() + (a.code() == null ? "" : " " + a.code()), 1, Integer::sum);
            }
            int enrolled = count(answers, s -> s == 201);
            int waitlisted = count(answers, s -> s == 202);
            int full = (int) Arrays.stream(answers)
                    .filter(a -> a.status() == 409 && "class-full".equals(a.code())).count();
            int conflictOther = count(answers, s -> s == 409) - full;
            int busy = count(answers, s -> s == 503);
            int other5xx = count(answers, s -> s >= 500 && s != 503);
            int failed = count(answers, s -> s < 0);
            int rest = students - enrolled - waitlisted - full - conflictOther - busy - other5xx - failed;
            int expectSeats = 0;
            int expectWait = 0;
            for (int c = 0; c < classes; c++) {
                int s = students / classes + (c < students % classes ? 1 : 0);
                expectSeats += Math.min(s, capacity);
                expectWait += Math.min(Math.max(0, s - capacity), WAITLIST_MAX);
            }
            int expectFull = students - expectSeats - expectWait;
            boolean countsOk = enrolled == expectSeats && waitlisted == expectWait && full == expectFull;

            // ---- what the stores hold
            int wrongClasses = 0;
            for (int c = 0; c < classes; c++) {
                int s = students / classes + (c < students % classes ? 1 : 0);
                JsonNode shown = call(bases.get(0), "GET", "/registrar/classes/" + courseIds[c], registrar, null, 200);
                if (shown.get("enrolled").asInt() != Math.min(s, capacity)
                        || shown.get("waitlisted").asInt() != Math.min(Math.max(0, s - capacity), WAITLIST_MAX)) {
                    if (wrongClasses++ < 5) {
                        System.out.println("!! class " + courseIds[c] + " stored " + shown);
                    }
                }
            }

            // ---- figures
            System.out.printf("== %s: %d students, %d class(es) of %d seats, %d instance(s), %d in flight at most, "
                            + "proxy transaction latency %s%n", label, students, classes, capacity, bases.size(),
                    concurrency, proxy == null ? "none" : latencyMs + " ms");
            double lastSeat = Arrays.stream(answers).filter(a -> a.status() == 201).mapToLong(Answer::doneNs).max()
                    .orElse(rushStart) / 1e9 - rushStart / 1e9;
            System.out.printf("settled: every student answered %.2f s after the start (the last seat was given at "
                    + "%.2f s)%n", settle, lastSeat);
            System.out.printf("outcomes: %s%n", outcomes);
            System.out.printf("  201 %d / 202 %d / 409 class-full %d / 409 other %d / 503 %d / other 5xx %d / "
                            + "no answer %d / other %d  (expected %d/%d/%d/0/0/0/0/0: %s); stored state %s%n",
                    enrolled, waitlisted, full, conflictOther, busy, other5xx, failed, rest, expectSeats, expectWait,
                    expectFull, countsOk ? "OK" : "MISMATCH",
                    wrongClasses == 0 ? "OK (every class: seats and waiting list as expected)"
                            : "WRONG in " + wrongClasses + " class(es)");
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
            long forwarded = delta(proxyBefore, proxyAfter, "transactionsForwarded");
            long conflicts = delta(proxyBefore, proxyAfter, "transactionConflicts");
            double attempts = enrolled == 0 ? 0 : (double) (forwarded + conflicts) / enrolled;
            if (proxy != null) {
                System.out.printf("proxy: transactionsForwarded %d, transactionConflicts %d (retried), "
                                + "conflictExceptions %d, inProgress %d, throttled %d; attempts per seat "
                                + "(forwarded+conflicts)/seats = %.2f%n", forwarded, conflicts,
                        delta(proxyBefore, proxyAfter, "transactionConflictExceptions"),
                        delta(proxyBefore, proxyAfter, "transactionsInProgress"),
                        delta(proxyBefore, proxyAfter, "throttled"), attempts);
            }
            long dynamoRequests = 0;
            long dynamoReads = 0;
            if (dynamodb != null) {
                StringBuilder ops = new StringBuilder();
                for (String key : dynamoAfter.keySet()) {
                    if (key.endsWith(".requests")) {
                        String op = key.substring(0, key.length() - ".requests".length());
                        long n = delta(dynamoBefore, dynamoAfter, key);
                        if (n > 0) {
                            dynamoRequests += n;
                            if (!op.equals("TransactWriteItems")) {
                                dynamoReads += n;
                            }
                            ops.append(String.format(" %s %d (mean %.1f ms in DynamoDB Local)", op, n,
                                    delta(dynamoBefore, dynamoAfter, op + ".nanos") / 1e6 / n));
                        }
                    }
                }
                System.out.printf("DynamoDB Local: %d requests in %.2f s = %.0f req/s, at most %d in flight;%s%n",
                        dynamoRequests, settle, dynamoRequests / settle, dynamoAfter.getOrDefault("maxInFlight", 0L),
                        ops);
            }
            double ticks = clockTicks();
            StringBuilder cpu = new StringBuilder();
            double mine = 0;
            for (String name : cpuAfter.keySet()) {
                double cores = (cpuAfter.get(name) - cpuBefore.getOrDefault(name, 0L)) / ticks / settle;
                mine += cores;
                cpu.append(String.format(" %s %.2f,", name, cores));
            }
            double machine = machineAfter[1] == machineBefore[1] ? 0
                    : (double) (machineAfter[0] - machineBefore[0]) / (machineAfter[1] - machineBefore[1])
                    * Runtime.getRuntime().availableProcessors();
            double irq = machineAfter[1] == machineBefore[1] ? 0
                    : (double) (machineAfter[2] - machineBefore[2]) / (machineAfter[1] - machineBefore[1])
                    * Runtime.getRuntime().availableProcessors();
            System.out.printf("CPU (cores busy on average over the rush, of %d):%s machine %.2f, of which not in "
                            + "these processes %.2f (interrupts/softirq, mostly loopback TCP, %.2f; the rest kernel "
                            + "threads or other processes)%n", Runtime.getRuntime().availableProcessors(), cpu, machine,
                    Math.max(0, machine - mine), irq);
            List<String> others = new ArrayList<>();
            othersAfter.forEach((pid, after) -> {
                String[] before = othersBefore.get(pid);
                double cores = (Long.parseLong(after[1]) - (before == null ? 0 : Long.parseLong(before[1])))
                        / ticks / settle;
                if (!pids.containsValue(pid) && pid != ProcessHandle.current().pid() && cores >= 0.05) {
                    others.add(String.format("%.2f %s (pid %d)", cores, after[0], pid));
                }
            });
            others.sort(java.util.Comparator.reverseOrder());
            if (!others.isEmpty()) {
                System.out.printf("other processes busy during the rush (cores): %s%n",
                        String.join(", ", others.subList(0, Math.min(4, others.size()))));
            }
            StringBuilder perStudent = new StringBuilder();
            for (String name : cpuAfter.keySet()) {
                perStudent.append(String.format(" %s %.1f,", name,
                        (cpuAfter.get(name) - cpuBefore.getOrDefault(name, 0L)) / ticks * 1000 / students));
            }
            System.out.printf("CPU per student, ms:%s all processes %.1f, machine %.1f%n", perStudent,
                    mine * settle * 1000 / students, machine * settle * 1000 / students);
            int hotSeats = Math.min(capacity, (students + classes - 1) / classes);
            double bound = proxy == null || latencyMs == 0 ? 0 : (double) hotSeats * latencyMs / 1000;
            String ratio = bound == 0 ? "-" : String.format("%.2f", settle / bound);
            // what DynamoDB Local adds (the probe's figures): the proxy holds each transaction for the latency and
            // then DynamoDB Local runs it, so one class's seats take ≥ seats × (latency + its own transaction time);
            // and all the work it got cannot go faster than its own rates
            double chain = hotSeats * (latencyMs + txMs) / 1000;
            long transactions = proxy == null ? enrolled : forwarded;
            double work = txRate <= 0 || getRate <= 0 ? 0 : transactions / txRate + dynamoReads / getRate;
            double localBound = txMs <= 0 ? 0 : Math.max(chain, work);
            if (bound > 0) {
                System.out.printf("bound: one hot class item takes one transaction per %d ms, so its %d seats need "
                                + "≥ %.2f s; settle/bound = %s (aim ≤ 1.5: %s); last seat/bound = %.2f%n",
                        latencyMs, hotSeats, bound, ratio, settle / bound <= 1.5 ? "met" : "NOT met",
                        lastSeat / bound);
            }
            if (localBound > 0) {
                System.out.printf("bound with DynamoDB Local (probe: %.1f ms per transaction alone, %.0f "
                                + "transactions/s and %.0f reads/s at 32 in flight): max(%d seats × (%d + %.1f) ms = "
                                + "%.2f s, %d transactions / %.0f/s + %d reads / %.0f/s = %.2f s) = %.2f s; "
                                + "settle/that = %.2f%n",
                        txMs, txRate, getRate, hotSeats, latencyMs, txMs, chain, transactions, txRate, dynamoReads,
                        getRate, work, localBound, settle / localBound);
            }
            if (waves > 0) {
                reportWaves(answers, waveStarts);
            }
            if (results != null) {
                String line = String.join("\t", label, Integer.toString(bases.size()),
                        proxy == null ? "-" : latencyMs + " ms", String.format("%.2f", settle),
                        String.format("%.2f", lastSeat),
                        bound == 0 ? "-" : String.format("%.2f", bound), ratio,
                        localBound == 0 ? "-" : String.format("%.2f", localBound),
                        localBound == 0 ? "-" : String.format("%.2f", settle / localBound),
                        pct(all, 50) + " / " + pct(all, 99), pct(seat, 50) + " / " + pct(seat, 99),
                        pct(noSeat, 50) + " / " + pct(noSeat, 99),
                        enrolled + "/" + waitlisted + "/" + full + "/" + busy + "/" + other5xx
                                + (conflictOther + failed + rest > 0
                                ? " (+" + (conflictOther + failed + rest) + " other)" : ""),
                        proxy == null ? "-" : Long.toString(forwarded), proxy == null ? "-" : Long.toString(conflicts),
                        proxy == null ? "-" : String.format("%.2f", attempts),
                        dynamodb == null ? "-" : String.format("%.0f", dynamoRequests / settle),
                        countsOk && wrongClasses == 0 ? "OK" : "WRONG");
                Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            return countsOk && wrongClasses == 0 && busy == 0 && other5xx == 0 && failed == 0 ? 0 : 1;
        }

        /**
         * Imports a registration window for every student (wave w opens {@code w × gap} s after the first, which opens
         * a few seconds from now), then sends each wave's requests when its window opens, the waves overlapping when
         * one has not settled by the next one's opening.
         *
         * @param waveStarts filled with each wave's start (System.nanoTime, when its first requests were released)
         * @return the answers, indexed as the students
         */
        Answer[] staged(long firstStudent, String[] tokens, Target target, long[] waveStarts) throws Exception {
            int perWave = students / waves;
            // whole seconds, from 3 s after the import starts: the CSV of 5,000 rows is in before the first opening
            long firstOpening = (System.currentTimeMillis() / 1000 + 3) * 1000;
            StringBuilder csv = new StringBuilder("studentId,opensAt\n");
            for (int i = 0; i < students; i++) {
                csv.append(firstStudent + i).append(',')
                        .append(java.time.Instant.ofEpochMilli(firstOpening + (long) (i / perWave) * gapSeconds * 1000))
                        .append('\n');
            }
            HttpResponse<String> imported = http.send(HttpRequest.newBuilder(
                            URI.create(bases.get(0) + "/registrar/registration-windows")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + registrar).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(), HttpResponse.BodyHandlers.ofString());
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
                        Answer[] part = fire(perWave, concurrency, i -> target.of(from + i),
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

        /** One line per wave: settled (s from its window opening), latency p50/p99, since the opening, outcomes. */
        void reportWaves(Answer[] answers, long[] waveStarts) throws IOException {
            int perWave = students / waves;
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
                if (results != null) {
                    Files.writeString(results.resolveSibling("waves.tsv"), String.join("\t", label,
                                    Integer.toString(w + 1), "+" + w * gapSeconds + " s", Integer.toString(perWave),
                                    String.format(Locale.ROOT, "%.2f", settled),
                                    pct(latency, 50) + " / " + pct(latency, 99),
                                    pct(sinceOpening, 50) + " / " + pct(sinceOpening, 99), outcomes) + "\n",
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        }

        interface Target {
            /** {classId, instance index} of request i */
            long[] of(int i);
        }

        /** Sends request i (0 ≤ i < n) with {@code threads} in flight at most, all released at once. */
        Answer[] fire(int n, int threads, Target target, String[] tokens) throws InterruptedException {
            Answer[] answers = new Answer[n];
            AtomicInteger next = new AtomicInteger();
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(threads);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds * 2L);
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
            if (!done.await(timeoutSeconds * 2L + 10, TimeUnit.SECONDS)) {
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

        Answer enroll(int i, long classId, int instance, String token) {
            URI uri = URI.create(bases.get(instance) + "/student/enrollments/" + classId);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(timeoutSeconds)).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            long sent = System.nanoTime();
            try {
                HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                long done = System.nanoTime();
                String code = null;
                if (resp.statusCode() >= 300) {
                    try {
                        code = JSON.readTree(resp.body()).path("code").asText(null);
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

        long newClass(int seats) throws Exception {
            int n = nextCourse.incrementAndGet();
            return client.newClass(bases.get(0), "RUSH", "RUSH " + client.tag + "-" + n, n, "Rush", seats);
        }

        String[] tokens(int n) throws Exception {
            return tokens(nextStudent.getAndAdd(n) + 1, n);
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
        void storeStudents(long first, int n) {
            if (users == null) {
                return;
            }
            List<Long> ids = new ArrayList<>(n);
            for (long id = first; id < first + n; id++) {
                ids.add(id);
            }
            Tables tables = new Tables(storePrefix);
            try {
                StoredStudents.put(users, tables, ids);
            } catch (ResourceNotFoundException e) {
                throw new IllegalStateException("no table " + tables.users() + " on " + dynamodb
                        + ": --store-prefix must be the instances' STORE_PREFIX", e);
            }
        }

        JsonNode call(String base, String method, String path, String token, String body, int expected)
                throws Exception {
            return client.call(base, method, path, token, body, expected);
        }

        /** Flattened numeric counters of a JSON endpoint ({@code op.requests}, ...), or empty when url is null. */
        Map<String, Long> counters(String url) throws Exception {
            Map<String, Long> flat = new TreeMap<>();
            if (url == null) {
                return flat;
            }
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            flatten("", JSON.readTree(resp.body()), flat);
            return flat;
        }

        static void flatten(String prefix, JsonNode node, Map<String, Long> into) {
            node.properties().forEach(field -> {
                if (field.getValue().isNumber()) {
                    into.put(prefix + field.getKey(), field.getValue().asLong());
                } else if (field.getValue().isObject()) {
                    flatten(prefix + field.getKey() + ".", field.getValue(), into);
                }
            });
        }

        /** utime + stime (clock ticks) of each named process, this one included as "client". */
        Map<String, Long> cpuTicks() {
            Map<String, Long> ticks = new LinkedHashMap<>();
            Map<String, Long> all = new LinkedHashMap<>(pids);
            all.put("client", ProcessHandle.current().pid());
            all.forEach((name, pid) -> {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime, fields 14 and 15 of the line: the 12th and 13th after "pid (comm) "
                    ticks.put(name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException e) {
                    // the process is gone or not ours to read: left out
                }
            });
            return ticks;
        }

        /** pid → {command line (cut), utime + stime} of every process this user may read. */
        static Map<Long, String[]> allProcesses() {
            Map<Long, String[]> all = new TreeMap<>();
            try (var dirs = Files.list(Path.of("/proc"))) {
                dirs.filter(d -> d.getFileName().toString().matches("[0-9]+")).forEach(d -> {
                    try {
                        String stat = Files.readString(d.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ').trim();
                        if (cmd.isEmpty()) {
                            cmd = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        }
                        all.put(Long.parseLong(d.getFileName().toString()), new String[] {
                                cmd.substring(0, Math.min(70, cmd.length())),
                                Long.toString(Long.parseLong(f[11]) + Long.parseLong(f[12]))});
                    } catch (IOException | RuntimeException e) {
                        // gone meanwhile
                    }
                });
            } catch (IOException e) {
                // no /proc: nothing to report
            }
            return all;
        }

        /** {busy, total, irq + softirq} jiffies of the whole machine (/proc/stat). */
        static long[] machineTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] {total - idle, total, Long.parseLong(f[6]) + Long.parseLong(f[7])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0, 0};
            }
        }

        static double clockTicks() {
            return 100;   // USER_HZ on Linux (getconf CLK_TCK)
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    interface StatusTest {
        boolean test(int status);
    }

    static int count(Answer[] answers, StatusTest test) {
        return (int) Arrays.stream(answers).filter(a -> test.test(a.status())).count();
    }

    static double[] latencies(Answer[] answers, StatusTest test, boolean sinceStart) {
        long start = Arrays.stream(answers).mapToLong(Answer::sentNs).min().orElse(0);
        return Arrays.stream(answers).filter(a -> a.status() > 0 && test.test(a.status()))
                .mapToDouble(a -> sinceStart ? (a.doneNs() - start) / 1e6 : a.latencyMs()).sorted().toArray();
    }

    static String pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        double v = Percentiles.of(sorted, p);
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String pcts(double[] sorted) {
        return sorted.length == 0 ? "(none)"
                : String.format("n=%d p50 %s p99 %s max %s", sorted.length, pct(sorted, 50), pct(sorted, 99),
                pct(sorted, 100));
    }

    static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    static void usage(String problem) {
        System.err.println("RushBench: " + problem);
        System.err.println("usage: java -cp CP bench.RushBench dynamodb|broker|redis");
        System.err.println("       java -cp CP bench.RushBench probe http://127.0.0.1:PORT [SECONDS]");
        System.err.println("       java -cp CP bench.RushBench rush --bases http://127.0.0.1:P[,http://127.0.0.1:P2] "
                + "--key KEY.pem --students N --classes C --capacity K [--concurrency 256] [--latency-ms 10] "
                + "[--proxy URL] [--dynamodb URL] [--pids name=pid,...] [--warmup 1000] [--warm BASE,...] "
                + "[--tx-ms MS --tx-rate N --get-rate N] [--timeout 60] [--label NAME] [--results FILE] "
                + "[--waves W [--gap SECONDS]] [--store-prefix rush-]");
        System.exit(2);
    }
}
