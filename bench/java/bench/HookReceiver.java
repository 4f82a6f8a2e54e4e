package bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import support.WebhookReceiver;

/**
 * NotifyBench's stand-in webhook receiver, a JDK HTTP server on 127.0.0.1: {@code /hook/…} takes the service's
 * webhooks, checks each signature (support.WebhookReceiver) and sorts each first arrival into the phase of its class;
 * {@code /hang/…} accepts requests and never answers them (phase H's hanging targets).
 */
final class HookReceiver {

    /** One webhook's first arrival: when it arrived, when its event occurred, when the drop behind it was sent. */
    record Arrival(char phase, String id, long arrivedAt, long occurredAt, long dropSent) {
    }

    private final int port;
    /** classId → phase ('A', 'B', 'C', 'H'; 'h' for phase H's hanging subscriptions), to sort arriving webhooks. */
    private final Map<Long, Character> phaseOfClass = new ConcurrentHashMap<>();
    /** studentId → webhook secret, whsec_… (every signature is checked) */
    private final Map<Long, String> secrets = new ConcurrentHashMap<>();
    /** promoted studentId → when the drop that promoted them was sent (System.currentTimeMillis) */
    private final Map<Long, Long> dropSentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> seenEvents = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger unknownHooks = new AtomicInteger();
    private final Map<Character, AtomicInteger> received = Map.of('A', new AtomicInteger(), 'B', new AtomicInteger(),
            'C', new AtomicInteger(), 'H', new AtomicInteger());
    private final Map<Character, Set<Integer>> connections = Map.of('A', ConcurrentHashMap.newKeySet(),
            'B', ConcurrentHashMap.newKeySet(), 'C', ConcurrentHashMap.newKeySet(), 'H', ConcurrentHashMap.newKeySet());
    /** The requests the /hang/ paths accepted and never answered (closed by {@link #releaseHanging}). */
    private final List<HttpExchange> hanging = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    /** A receiver for 127.0.0.1:{@code port}, not started yet (classes and secrets may be registered already). */
    HookReceiver(int port) {
        this.port = port;
    }

    /**
     * Starts listening.
     *
     * @throws IOException when the port is taken
     */
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");   // as a production endpoint would
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1024);
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
                JsonNode event = Client.JSON.readTree(body);
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
    }

    void stop() {
        server.stop(0);
    }

    /** Whether the Standard Webhooks signature header holds the signature expected with this secret. */
    private static boolean signed(Headers headers, byte[] body, String secret) {
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

    /** The webhook target of a student: a path of its own on this receiver. */
    String hookUrl(long student) {
        return "http://127.0.0.1:" + port + "/hook/s" + student;
    }

    /** Hanging target number {@code i}: a path on this receiver that never answers. */
    String hangingUrl(int i) {
        return "http://127.0.0.1:" + port + "/hang/" + i;
    }

    /** Closes every request the hanging paths hold. */
    void releaseHanging() {
        synchronized (hanging) {
            hanging.forEach(HttpExchange::close);
            hanging.clear();
        }
    }

    /** How many requests the hanging paths hold now. */
    int hanging() {
        return hanging.size();
    }

    /** Webhooks of this class belong to {@code phase}. */
    void classOf(long classId, char phase) {
        phaseOfClass.put(classId, phase);
    }

    /** The secret the service gave this student's subscription, to check the signatures with. */
    void secret(long student, String secret) {
        secrets.put(student, secret);
    }

    /** The drop that promotes this student was sent at {@code sentAt} (System.currentTimeMillis). */
    void dropSent(long student, long sentAt) {
        dropSentAt.put(student, sentAt);
    }

    /** The first arrivals of the phase's webhooks so far, in arrival order. */
    List<Arrival> arrivals(char phase) {
        return arrivals.stream().filter(x -> x.phase() == phase).toList();
    }

    /** How many of the phase's webhooks arrived (first arrivals). */
    int received(char phase) {
        return received.get(phase).get();
    }

    /** Over how many client connections (ports) the phase's webhooks arrived. */
    int connections(char phase) {
        return connections.get(phase).size();
    }

    int duplicates() {
        return duplicates.get();
    }

    int badSignatures() {
        return badSignatures.get();
    }

    /** Webhooks of classes no phase made. */
    int unknownHooks() {
        return unknownHooks.get();
    }
}
