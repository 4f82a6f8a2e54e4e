package notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * Bounds a webhook attempt as a whole, not only each read: the connection time-out (5 s) and the read time-out
 * (10 s) let a target that drips its answer a byte at a time hold an attempt, its thread and its claim for ever.
 * Each attempt is cancelled {@link #SECONDS} after it starts (HttpClient 5's {@code Cancellable} request, which
 * closes the connection), and its answer's body is read here, within that time, up to {@link #ANSWER_LIMIT}
 * bytes; the rest is not read and the connection is then closed, so a huge answer costs neither time nor memory.
 * Plugged into the {@code http:} endpoint of route send-webhook as its {@code httpClientConfigurer}.
 */
public final class WebhookDeadline implements HttpClientConfigurer {

    /** The most an attempt takes, from the first connection attempt to the answer's last byte (seconds). */
    public static final int SECONDS = 15;
    /** How much of an answer's body is read (bytes); nothing in it is used beyond the status and headers. */
    static final int ANSWER_LIMIT = 64 * 1024;

    private static final ScheduledExecutorService ALARMS = alarms();

    /** How to cancel each attempt in flight; ends them all when the service stops ({@link #stop()}). */
    private final Set<Runnable> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** One daemon thread; an alarm cancelled because its attempt ended in time leaves its queue at once. */
    private static ScheduledExecutorService alarms() {
        ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "webhook-deadline");
            thread.setDaemon(true);
            return thread;
        });
        alarms.setRemoveOnCancelPolicy(true);
        return alarms;
    }

    /** Adds the deadline as the outermost step of the client's execution chain. */
    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("attempt-deadline", this::execute);
    }

    /**
     * Runs one attempt within the deadline.
     *
     * @return the answer, its body (at most {@link #ANSWER_LIMIT} bytes) already read into memory
     * @throws DeadlineExceededException when the deadline cancelled the attempt
     * @throws IOException when the attempt failed otherwise (connection refused, read time-out, reset...)
     */
    ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        if (stopping) {
            throw new StoppingException();
        }
        AtomicBoolean expired = new AtomicBoolean();
        Runnable cancel = () -> {
            if (scope.originalRequest instanceof Cancellable cancellable) {
                cancellable.cancel();
            } else {
                scope.execRuntime.discardEndpoint();
            }
        };
        ScheduledFuture<?> alarm = ALARMS.schedule(() -> {
            expired.set(true);
            cancel.run();
        }, SECONDS, TimeUnit.SECONDS);
        inFlight.add(cancel);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            readAnswer(response, scope);
            return response;
        } catch (IOException failure) {
            if (expired.get()) {
                throw new DeadlineExceededException();
            }
            if (stopping) {
                throw new StoppingException();
            }
            throw failure;
        } finally {
            inFlight.remove(cancel);
            alarm.cancel(false);
        }
    }

    /**
     * Ends every attempt in flight and refuses new ones, when the service stops: an attempt to a target that
     * hangs would otherwise hold the stop for up to {@link #SECONDS}, past its grace period. Each ends as a failed
     * attempt ({@link StoppingException}), so its delivery stays pending and its schedule retries it.
     */
    public void stop() {
        stopping = true;
        inFlight.forEach(Runnable::run);
    }

    private static void readAnswer(ClassicHttpResponse response, ExecChain.Scope scope) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return;
        }
        byte[] body;
        try (InputStream in = entity.getContent()) {
            body = in.readNBytes(ANSWER_LIMIT);
            if (in.read() != -1) {
                // the rest is never read: the connection cannot be reused and is closed instead of drained
                scope.execRuntime.discardEndpoint();
            }
        }
        response.setEntity(new ByteArrayEntity(body, entity.getContentType() == null ? null
                : ContentType.parseLenient(entity.getContentType())));
    }

    /** The attempt was ended because the service stops. */
    public static final class StoppingException extends InterruptedIOException {

        StoppingException() {
            super("the service is stopping: the attempt is retried on its schedule");
        }
    }

    /** The attempt did not complete within {@link #SECONDS}. */
    public static final class DeadlineExceededException extends InterruptedIOException {

        DeadlineExceededException() {
            super("no complete answer within " + SECONDS + " s");
        }
    }
}
