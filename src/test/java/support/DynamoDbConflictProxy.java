package support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of DynamoDB Local that answers the way the real DynamoDB answers under
 * contention, which DynamoDB Local (it runs one transaction at a time) never does.
 *
 * <ul>
 *   <li>{@code TransactWriteItems} touching an item (table + primary key) that another transaction passing through
 *       the proxy is writing: HTTP 400 {@code TransactionCanceledException}, one {@code CancellationReasons} entry
 *       per {@code TransactItems} entry ({@code None} or {@code TransactionConflict}), without forwarding.</li>
 *   <li>{@code TransactWriteItems} whose {@code ClientRequestToken} is that of a transaction in flight: HTTP 400
 *       {@code TransactionInProgressException}.</li>
 *   <li>{@code PutItem}/{@code UpdateItem}/{@code DeleteItem} on an item a transaction is writing: HTTP 400
 *       {@code TransactionConflictException}.</li>
 *   <li>Otherwise a transaction holds its items for {@link #transactionLatency(Duration)}, is forwarded, and
 *       releases them when DynamoDB Local has answered; every other call is forwarded after
 *       {@link #otherLatency(Duration)}. Bodies and headers go through unchanged (DynamoDB Local does not check
 *       SigV4 signatures).</li>
 *   <li>Fault modes: {@link #throttle(double, Throttle)} and {@link #loseAnswers(int)}.</li>
 * </ul>
 *
 * <p>Synthetic answers follow DynamoDB's JSON 1.0 error protocol
 * (developer guide, "Error handling with DynamoDB"): {@code Content-Type: application/x-amz-json-1.0}, an
 * {@code x-amzn-RequestId}, a body {@code {"__type":"com.amazonaws.dynamodb.v20120810#<Code>","message":...}}
 * (the AWS SDK for Java v2 takes the code after {@code #} of {@code __type}, and reads {@code message} or
 * {@code Message}: {@code JsonErrorCodeParser}, {@code SdkJsonErrorMessageParser}), and an {@code x-amz-crc32}
 * header holding the CRC32 of the body, as DynamoDB sends it; the SDK checks that header whenever it is present
 * ({@code Crc32Validation}), so it must be right.
 *
 * <p>The server is Jetty 12 (on the test classpath through DynamoDB Local) and the exchange is asynchronous: a
 * request waiting out its latency or its forwarded call holds no thread, so hundreds of concurrent requests (two
 * service instances with 128 SDK connections each) do not queue. Answers are buffered, not streamed: DynamoDB
 * answers are small (1 MB pages at most), and a lost answer must be replaced whole.
 */
public final class DynamoDbConflictProxy implements AutoCloseable {

    /** The error a throttled request gets. Its code is one the AWS SDK counts as throttling (AwsErrorCode). */
    public enum Throttle {
        /** What on-demand tables (the service's: PAY_PER_REQUEST) answer when a data-plane call is too fast. */
        THROTTLING_EXCEPTION("ThrottlingException", "Rate of requests exceeds the allowed throughput."),
        /** What provisioned-capacity tables answer (the message as DynamoDB sends it, not as the guide words it). */
        PROVISIONED_THROUGHPUT_EXCEEDED("ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded. Consider increasing your"
                        + " provisioning level with the UpdateTable API."),
        /** What on-demand tables answer when the account's per-table quota is exceeded. */
        REQUEST_LIMIT_EXCEEDED("RequestLimitExceeded",
                "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at"
                        + " https://aws.amazon.com/support request a limit increase");

        private final String code;
        private final String message;

        Throttle(String code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    /**
     * What the proxy has done since it started or since {@link #reset()}.
     *
     * @param transactionsForwarded       TransactWriteItems forwarded to DynamoDB Local
     * @param transactionConflicts        TransactionCanceledException (TransactionConflict) answered
     * @param transactionConflictExceptions TransactionConflictException answered to single-item writes
     * @param transactionsInProgress      TransactionInProgressException answered
     * @param throttled                   requests answered with a throttling error
     * @param answersLost                 transactions forwarded whose answer was replaced by an HTTP 500
     */
    public record Counters(long transactionsForwarded, long transactionConflicts, long transactionConflictExceptions,
                           long transactionsInProgress, long throttled, long answersLost) {
    }

    private static final String HOST = "127.0.0.1";
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String ERROR_TYPE_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    private static final String JSON_1_0 = "application/x-amz-json-1.0";
    private static final String COUNTERS_PATH = "/__proxy/counters";
    // hop-by-hop headers, and those java.net.http sets itself and refuses to be given
    private static final Set<String> NOT_FORWARDED =
            Set.of("connection", "keep-alive", "content-length", "transfer-encoding", "expect", "host", "upgrade",
                    "te", "trailer", "proxy-connection");
    // Jetty writes its own Date header and the length of the buffered body
    private static final Set<String> NOT_RETURNED =
            Set.of("connection", "keep-alive", "content-length", "transfer-encoding", "date");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI target;
    private final Server server;
    private final ExecutorService workers;
    private final HttpClient http;
    private final Map<String, List<String>> keySchemas = new ConcurrentHashMap<>();

    // What transactions in flight hold; guarded by this.
    private final Set<ItemKey> itemsInFlight = new HashSet<>();
    private final Set<String> tokensInFlight = new HashSet<>();

    private volatile Duration transactionLatency = Duration.ofMillis(10);
    private volatile Duration otherLatency = Duration.ZERO;
    private volatile double throttleFraction;
    private volatile Throttle throttleKind = Throttle.THROTTLING_EXCEPTION;
    private final AtomicLong throttleSequence = new AtomicLong();
    private final AtomicInteger answersToLose = new AtomicInteger();

    private final AtomicLong transactionsForwarded = new AtomicLong();
    private final AtomicLong transactionConflicts = new AtomicLong();
    private final AtomicLong transactionConflictExceptions = new AtomicLong();
    private final AtomicLong transactionsInProgress = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong answersLost = new AtomicLong();

    private DynamoDbConflictProxy(URI target, int port) throws Exception {
        this.target = target;
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "dynamodb-proxy-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(workers)
                .connectTimeout(Duration.ofSeconds(5)).build();
        QueuedThreadPool threads = new QueuedThreadPool(256);
        threads.setName("dynamodb-proxy");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(configuration));
        connector.setHost(HOST);
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        // longer than the SDK's Apache client keeps an idle connection (60 s), so the client always closes first and
        // never writes a request into a connection the proxy is closing
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return exchange(request, response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * Starts a proxy on a port the system picks.
     *
     * @param target DynamoDB (Local)'s endpoint, e.g. {@code http://127.0.0.1:8000}
     * @return the running proxy; close it when done
     * @throws Exception when Jetty cannot start
     */
    public static DynamoDbConflictProxy start(URI target) throws Exception {
        return new DynamoDbConflictProxy(target, 0);
    }

    /**
     * Starts a proxy on the given port of 127.0.0.1.
     *
     * @param target DynamoDB (Local)'s endpoint
     * @param port   the port to listen on, 0 for one the system picks
     * @return the running proxy; close it when done
     * @throws Exception when Jetty cannot start (the port is taken, for one)
     */
    public static DynamoDbConflictProxy start(URI target, int port) throws Exception {
        return new DynamoDbConflictProxy(target, port);
    }

    /** @return {@code http://127.0.0.1:PORT}, the endpoint to give the SDK client */
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /**
     * Sets how long a TransactWriteItems holds its items before it is forwarded (default 10 ms).
     *
     * @param latency zero or more
     * @return this proxy
     */
    public DynamoDbConflictProxy transactionLatency(Duration latency) {
        this.transactionLatency = requireNotNegative(latency);
        return this;
    }

    /**
     * Sets how long every other call waits before it is forwarded (default zero).
     *
     * @param latency zero or more
     * @return this proxy
     */
    public DynamoDbConflictProxy otherLatency(Duration latency) {
        this.otherLatency = requireNotNegative(latency);
        return this;
    }

    /**
     * Throttles a fraction of the requests from now on with {@code ThrottlingException} (what on-demand tables
     * answer).
     *
     * @param fraction 0 (off) to 1 (every request)
     * @return this proxy
     * @throws IllegalArgumentException when the fraction is outside 0..1
     */
    public DynamoDbConflictProxy throttle(double fraction) {
        return throttle(fraction, Throttle.THROTTLING_EXCEPTION);
    }

    /**
     * Throttles a fraction of the requests from now on. The choice is deterministic and even: of any n requests in
     * a row, {@code floor(n * fraction)} or one more are throttled (request i is when {@code floor(i * fraction)}
     * grows), so a benchmark run repeats.
     *
     * @param fraction 0 (off) to 1 (every request)
     * @param kind     the error the throttled requests get
     * @return this proxy
     * @throws IllegalArgumentException when the fraction is outside 0..1
     */
    public DynamoDbConflictProxy throttle(double fraction, Throttle kind) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("throttle fraction must be within 0..1: " + fraction);
        }
        this.throttleKind = kind;
        this.throttleFraction = fraction;
        throttleSequence.set(0);
        return this;
    }

    /**
     * Makes the next {@code count} forwarded TransactWriteItems take effect in DynamoDB Local but answer HTTP 500
     * {@code InternalServerError}, as a real DynamoDB answer lost on the way does.
     *
     * @param count zero or more; replaces what was left of an earlier count
     * @return this proxy
     */
    public DynamoDbConflictProxy loseAnswers(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        answersToLose.set(count);
        return this;
    }

    /** @return a snapshot of the counters */
    public Counters counters() {
        return new Counters(transactionsForwarded.get(), transactionConflicts.get(),
                transactionConflictExceptions.get(), transactionsInProgress.get(), throttled.get(), answersLost.get());
    }

    /** @return how many items transactions in flight hold now (lets a test wait until a transaction holds its own) */
    public synchronized int itemsInFlight() {
        return itemsInFlight.size();
    }

    /** Sets every counter to zero; the modes (latencies, throttling, answers to lose) stay as they are. */
    public void reset() {
        for (AtomicLong counter : List.of(transactionsForwarded, transactionConflicts, transactionConflictExceptions,
                transactionsInProgress, throttled, answersLost)) {
            counter.set(0);
        }
    }

    /** Stops listening; exchanges in progress are cut. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the DynamoDB proxy did not stop", e);
        } finally {
            workers.shutdownNow();
        }
    }

    private boolean exchange(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path.startsWith("/__proxy/")) {
            Answer answer = "GET".equals(request.getMethod()) && COUNTERS_PATH.equals(path)
                    ? new Answer(200, Map.of("Content-Type", List.of("application/json")), countersJson())
                    : new Answer(404, Map.of(), new byte[0]);
            send(answer, response, callback);
            return true;
        }
        Call call = new Call(request.getMethod(), request.getHttpURI().getPathQuery(), headers(request.getHeaders()));
        Content.Source.asByteArrayAsync(request, -1)
                .thenComposeAsync(body -> route(call, body), workers)
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        Response.writeError(request, response, callback, 502, "DynamoDB proxy: " + failure);
                    } else {
                        send(answer, response, callback);
                    }
                });
        return true;
    }

    private CompletableFuture<Answer> route(Call call, byte[] body) {
        if (throttleNow()) {
            throttled.incrementAndGet();
            Throttle kind = throttleKind;
            return CompletableFuture.completedFuture(error(400, kind.code, "message", kind.message));
        }
        String operation = call.operation();
        return switch (operation) {
            case "TransactWriteItems" -> transactWriteItems(call, body);
            case "PutItem", "UpdateItem", "DeleteItem" -> singleWrite(call, body, operation);
            default -> later(otherLatency, () -> forward(call, body));
        };
    }

    private boolean throttleNow() {
        double fraction = throttleFraction;
        if (fraction == 0) {
            return false;
        }
        long i = throttleSequence.incrementAndGet();
        return Math.floor(i * fraction) > Math.floor((i - 1) * fraction);
    }

    private CompletableFuture<Answer> transactWriteItems(Call call, byte[] body) {
        JsonNode request = parse(body);
        String token = request.path("ClientRequestToken").textValue();
        List<ItemKey> items = new ArrayList<>();
        for (JsonNode entry : request.path("TransactItems")) {
            items.add(transactItemKey(call, entry));
        }
        synchronized (this) {
            if (token != null && tokensInFlight.contains(token)) {
                transactionsInProgress.incrementAndGet();
                return CompletableFuture.completedFuture(error(400, "TransactionInProgressException", "message",
                        "Transaction from previous request is still in progress"));
            }
            List<Boolean> conflicts = items.stream().map(item -> item != null && itemsInFlight.contains(item))
                    .toList();
            if (conflicts.contains(true)) {
                transactionConflicts.incrementAndGet();
                return CompletableFuture.completedFuture(transactionCanceled(conflicts));
            }
            items.stream().filter(item -> item != null).forEach(itemsInFlight::add);
            if (token != null) {
                tokensInFlight.add(token);
            }
        }
        return later(transactionLatency, () -> {
            transactionsForwarded.incrementAndGet();
            return forward(call, body);
        }).whenComplete((answer, failure) -> {
            synchronized (this) {
                items.forEach(itemsInFlight::remove);
                if (token != null) {
                    tokensInFlight.remove(token);
                }
            }
        }).thenApply(answer -> {
            if (answersToLose.getAndUpdate(left -> Math.max(0, left - 1)) == 0) {
                return answer;
            }
            answersLost.incrementAndGet();
            return error(500, "InternalServerError", "message", "Internal server error");
        });
    }

    private CompletableFuture<Answer> singleWrite(Call call, byte[] body, String operation) {
        JsonNode request = parse(body);
        String table = request.path("TableName").textValue();
        ItemKey item = "PutItem".equals(operation) ? keyFromItem(call, table, request.path("Item"))
                : ItemKey.of(table, request.path("Key"));
        boolean conflict;
        synchronized (this) {
            conflict = item != null && itemsInFlight.contains(item);
        }
        if (conflict) {
            transactionConflictExceptions.incrementAndGet();
            return CompletableFuture.completedFuture(error(400, "TransactionConflictException", "message",
                    "Transaction is ongoing for the item"));
        }
        return later(otherLatency, () -> forward(call, body));
    }

    /** The item an entry of TransactItems writes or checks, or null when it cannot be told (unknown table). */
    private ItemKey transactItemKey(Call call, JsonNode entry) {
        for (String action : List.of("Update", "Delete", "ConditionCheck")) {
            JsonNode operation = entry.get(action);
            if (operation != null) {
                return ItemKey.of(operation.path("TableName").textValue(), operation.path("Key"));
            }
        }
        JsonNode put = entry.path("Put");
        return keyFromItem(call, put.path("TableName").textValue(), put.path("Item"));
    }

    private ItemKey keyFromItem(Call call, String table, JsonNode item) {
        List<String> keyNames = table == null ? null : keySchema(call, table);
        if (keyNames == null || !item.isObject()) {
            return null;
        }
        ObjectNode key = JSON.createObjectNode();
        keyNames.forEach(name -> key.set(name, item.get(name)));
        return ItemKey.of(table, key);
    }

    /**
     * The table's key attribute names, learnt once with DescribeTable, signed as the caller's request was (DynamoDB
     * Local wants an Authorization header, not a valid one). Null when the table cannot be described; then that
     * request is forwarded untracked and DynamoDB Local answers it as it answers a missing table.
     */
    private List<String> keySchema(Call call, String table) {
        List<String> known = keySchemas.get(table);
        if (known != null) {
            return known;
        }
        HttpRequest.Builder describe = HttpRequest.newBuilder(target.resolve("/"))
                .header("Content-Type", JSON_1_0)
                .header("X-Amz-Target", TARGET_PREFIX + "DescribeTable")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.createObjectNode().put("TableName", table).toString().getBytes(StandardCharsets.UTF_8)));
        call.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("authorization") || name.equalsIgnoreCase("x-amz-date")
                    || name.equalsIgnoreCase("x-amz-security-token")) {
                values.forEach(value -> describe.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> answer = http.send(describe.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                return null;
            }
            List<String> names = new ArrayList<>();
            parse(answer.body()).path("Table").path("KeySchema")
                    .forEach(element -> names.add(element.path("AttributeName").textValue()));
            keySchemas.putIfAbsent(table, List.copyOf(names));
            return names;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private CompletableFuture<Answer> forward(Call call, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(call.pathQuery()))
                .method(call.method(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        call.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(answer -> new Answer(answer.statusCode(), answer.headers().map(), answer.body()));
    }

    private CompletableFuture<Answer> later(Duration delay, Supplier<CompletableFuture<Answer>> then) {
        if (delay.isZero()) {
            return then.get();
        }
        return CompletableFuture.supplyAsync(then,
                        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, workers))
                .thenCompose(answer -> answer);
    }

    /** DynamoDB's answer to a transaction cancelled by a conflict; key casing as DynamoDB sends it. */
    private static Answer transactionCanceled(List<Boolean> conflicts) {
        ObjectNode body = JSON.createObjectNode().put("__type", ERROR_TYPE_PREFIX + "TransactionCanceledException");
        ArrayNode reasons = body.putArray("CancellationReasons");
        List<String> codes = new ArrayList<>();
        for (boolean conflict : conflicts) {
            ObjectNode reason = reasons.addObject();
            if (conflict) {
                reason.put("Code", "TransactionConflict").put("Message", "Transaction is ongoing for the item");
                codes.add("TransactionConflict");
            } else {
                reason.put("Code", "None");
                codes.add("None");
            }
        }
        body.put("Message",
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes);
        return error(400, body);
    }

    private static Answer error(int status, String code, String messageKey, String message) {
        return error(status, JSON.createObjectNode().put("__type", ERROR_TYPE_PREFIX + code).put(messageKey, message));
    }

    private static Answer error(int status, ObjectNode json) {
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(body);
        return new Answer(status, Map.of(
                "Content-Type", List.of(JSON_1_0),
                "x-amzn-RequestId", List.of(UUID.randomUUID().toString()),
                "x-amz-crc32", List.of(Long.toString(crc.getValue()))), body);
    }

    private static void send(Answer answer, Response response, Callback callback) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        answer.headers().forEach((name, values) -> {
            if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.add(name, value));
            }
        });
        headers.put("Content-Length", Long.toString(answer.body().length));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    private byte[] countersJson() {
        try {
            return JSON.writeValueAsBytes(counters());
        } catch (IOException e) {
            throw new IllegalStateException("counters are plain numbers", e);
        }
    }

    private static Map<String, List<String>> headers(HttpFields fields) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : fields) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    /** A body that is not JSON is forwarded as it is, for DynamoDB Local to refuse; it touches no tracked item. */
    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static Duration requireNotNegative(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        return latency;
    }

    /** A request as it arrived, its body aside. */
    private record Call(String method, String pathQuery, Map<String, List<String>> headers) {

        String operation() {
            List<String> target = headers.get("X-Amz-Target");
            String value = target == null ? "" : target.get(0);
            return value.startsWith(TARGET_PREFIX) ? value.substring(TARGET_PREFIX.length()) : value;
        }
    }

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** An item: its table and its primary key, the key's attributes in name order so equal keys compare equal. */
    private record ItemKey(String table, String key) {

        static ItemKey of(String table, JsonNode key) {
            if (table == null || !key.isObject() || key.isEmpty()) {
                return null;
            }
            Map<String, String> sorted = new TreeMap<>();
            key.properties().forEach(field -> sorted.put(field.getKey(), String.valueOf(field.getValue())));
            return new ItemKey(table, sorted.toString());
        }
    }

    /**
     * Runs the proxy as its own process, for benchmark scripts. Settings come from {@code --name=value} arguments,
     * else from the environment variables in brackets:
     * {@code --target} [DYNAMODB_PROXY_TARGET] DynamoDB (Local)'s endpoint, required;
     * {@code --port} [DYNAMODB_PROXY_PORT] port on 127.0.0.1, default 0 (printed at start);
     * {@code --transaction-latency-ms} [DYNAMODB_PROXY_TRANSACTION_LATENCY_MS] default 10;
     * {@code --other-latency-ms} [DYNAMODB_PROXY_OTHER_LATENCY_MS] default 0;
     * {@code --throttle} [DYNAMODB_PROXY_THROTTLE] fraction 0..1, default 0;
     * {@code --throttle-kind} [DYNAMODB_PROXY_THROTTLE_KIND] a {@link Throttle} name, default THROTTLING_EXCEPTION.
     * Prints {@code listening on URL} at start and the counters as JSON on shutdown (SIGTERM, SIGINT); they are
     * also at {@code GET /__proxy/counters}.
     *
     * @param args {@code --name=value} settings
     * @throws Exception when the proxy cannot start
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        String targetUrl = option(options, "target", null);
        if (targetUrl == null) {
            throw new IllegalArgumentException("--target (or DYNAMODB_PROXY_TARGET) is required");
        }
        DynamoDbConflictProxy proxy = start(URI.create(targetUrl), Integer.parseInt(option(options, "port", "0")))
                .transactionLatency(Duration.ofMillis(Long.parseLong(option(options, "transaction-latency-ms", "10"))))
                .otherLatency(Duration.ofMillis(Long.parseLong(option(options, "other-latency-ms", "0"))))
                .throttle(Double.parseDouble(option(options, "throttle", "0")),
                        Throttle.valueOf(option(options, "throttle-kind", "THROTTLING_EXCEPTION")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(new String(proxy.countersJson(), StandardCharsets.UTF_8));
            System.out.flush();
            proxy.close();
        }, "dynamodb-proxy-shutdown"));
        System.out.println("listening on " + proxy.endpoint() + " in front of " + targetUrl);
        System.out.flush();
        proxy.server.join();
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        String value = options.get(name);
        if (value == null) {
            value = System.getenv("DYNAMODB_PROXY_" + name.replace('-', '_').toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
