package bench;

import com.amazonaws.services.dynamodbv2.local.server.AbstractLocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * DynamoDB Local in memory (RushBench's mode dynamodb), built as the project's EmbeddedDynamoDb builds it (loopback
 * only, no telemetry), with a wrapper that counts the requests per operation, the time each took inside DynamoDB
 * Local (its queue included) and the most in flight at once. {@code GET /__bench/counters} answers them as JSON.
 */
final class CountingDynamoDb {

    private final AbstractLocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
            new LocalDynamoDBRequestHandler(0, true, null, true, false), null);
    private final Server server;
    private final ServerConnector connector;

    /**
     * Starts it on a free port of 127.0.0.1 ({@link #endpoint}; {@link #close} stops it).
     *
     * @throws Exception when Jetty does not start
     */
    CountingDynamoDb() throws Exception {
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
                    response.write(true, ByteBuffer.wrap(Client.JSON.writeValueAsBytes(body)), callback);
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
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(counting);
        server.start();
    }

    /** Its address, {@code http://127.0.0.1:PORT}. */
    String endpoint() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Stops Jetty and DynamoDB Local; a failure is printed, not thrown (it runs in a shutdown hook). */
    void close() {
        try {
            server.stop();
            handler.close();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
