package support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that records every webhook POST and answers with the statuses it is told
 * (the last one repeats), like a subscriber's endpoint that is flaky, down, gone, hanging or dripping.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, Map<String, List<String>> headers, String body, long arrivedAtMillis) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private volatile int lastStatus = 200;
    private volatile String retryAfter;
    /** Released on close: requests answered {@link #HANG} wait for it. */
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    /** A status to {@link #answer}: accept the request and never answer it, like a target that hangs. */
    public static final int HANG = 0;

    /**
     * A status to {@link #answer}: answer 200 at once, then send the body one byte every 2 s, for ever (each read
     * of the client's succeeds within any read time-out); the time the client hung up is recorded.
     */
    public static final int DRIP = -1;
    private final List<Long> hangUps = new CopyOnWriteArrayList<>();
    /** Paths answered with a status of their own, whatever the script says ({@link #HANG} included). */
    private final Map<String, Integer> pathStatuses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long answerAfterMillis;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        // a thread per request: a request that hangs must not keep the next one from being read
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
            try {
                handle(exchange, counted);
            } finally {
                if (counted.getAndSet(false)) {
                    inFlight.decrementAndGet();
                }
            }
        });
        server.start();
    }

    private void handle(com.sun.net.httpserver.HttpExchange exchange, java.util.concurrent.atomic.AtomicBoolean counted)
            throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()),
                new String(body, StandardCharsets.UTF_8), System.currentTimeMillis()));
        Integer next = pathStatuses.containsKey(path) ? pathStatuses.get(path) : script.poll();
        int status = next != null ? next : lastStatus;
        if (status == DRIP) {
            drip(exchange);
            return;
        }
        if (status == HANG) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (answerAfterMillis > 0) {
            try {
                Thread.sleep(answerAfterMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (retryAfter != null && status >= 300) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        // no longer in flight once the answer leaves: the client may start its next request before this thread ends
        if (counted.getAndSet(false)) {
            inFlight.decrementAndGet();
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** Accepts every request to this path (e.g. {@code /hang/3}) and never answers it, like a dead hook. */
    public void hang(String path) {
        pathStatuses.put(path, HANG);
    }

    /** Answers every request to this path with this status, whatever the other paths answer. */
    public void answerOn(String path, int status) {
        pathStatuses.put(path, status);
    }

    /** Waits this long before answering each request that is answered (a slow but healthy target). */
    public void answerAfter(long millis) {
        answerAfterMillis = millis;
    }

    /** The most requests this receiver held at once (received, not yet answered or dropped). */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** The requests that arrived on one path. */
    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void drip(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        try (java.io.OutputStream body = exchange.getResponseBody()) {
            while (closed.getCount() > 0) {
                body.write('.');
                body.flush();
                closed.await(2, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (IOException hungUp) {
            hangUps.add(System.currentTimeMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** When clients hung up on {@link #DRIP} answers (epoch ms). */
    public List<Long> hangUps() {
        return List.copyOf(hangUps);
    }

    /** Answers these statuses in turn ({@link #HANG}: no answer at all), then keeps answering the last one. */
    public void answer(int... statuses) {
        script.clear();
        for (int status : statuses) {
            script.add(status);
        }
        lastStatus = statuses[statuses.length - 1];
    }

    /** Sends this {@code Retry-After} value with every answer that is not a success. */
    public void retryAfter(String value) {
        retryAfter = value;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code count} requests arrived (or the timeout passed) and returns them all. */
    public List<Received> await(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return received();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }

    /**
     * The Standard Webhooks signature a receiver expects: {@code v1,} + base64 HMAC-SHA256 over
     * {@code id.timestamp.body}, keyed with the base64-decoded part of the secret after {@code whsec_}.
     */
    public static String expectedSignature(String secret, String id, String timestamp, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring(6)),
                "HmacSHA256"));
        return "v1," + java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
