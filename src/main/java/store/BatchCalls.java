package store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * What {@link BatchWrites} and {@link BatchGets} share: their calls run a few at once on a small pool of their own, and
 * each call's part that DynamoDB left undone ({@code UnprocessedItems}, {@code UnprocessedKeys}) is sent again after a
 * capped exponential delay with full jitter until DynamoDB has done it, as the DynamoDB developer guide asks ("Batch
 * operations": a throttled batch returns what it did not do instead of failing).
 */
final class BatchCalls implements AutoCloseable {

    private final Duration budget;
    private final ExecutorService calls;

    /**
     * @param name the pool's threads' name
     * @param inFlight how many calls run at once
     * @param budget how long one call's undone part is sent again before the batch gives up
     *               ({@code DYNAMODB_RETRY_BUDGET})
     */
    BatchCalls(String name, int inFlight, Duration budget) {
        this.budget = budget;
        this.calls = Executors.newFixedThreadPool(inFlight, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs the calls on the pool and waits for all of them.
     *
     * @throws RuntimeException the first failure, in the calls' order (the others still ran)
     */
    void runAll(List<Runnable> batch) {
        List<Future<?>> running = new ArrayList<>();
        for (Runnable call : batch) {
            running.add(calls.submit(call));
        }
        for (Future<?> call : running) {
            await(call);
        }
    }

    /**
     * Sends a request, then what DynamoDB left of it undone, until nothing is left.
     *
     * @param request the request's items or keys, by table
     * @param call sends one request and returns what DynamoDB left undone of it (empty when nothing)
     * @param undone what the undone part is, for the message: "unwritten", "unread"
     * @throws StoreBusyException when a part stayed undone past the budget
     */
    <R> void untilDone(Map<String, R> request, UnaryOperator<Map<String, R>> call, String undone) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, R> pending = request;
        for (int attempt = 1; ; attempt++) {
            pending = call.apply(pending);
            if (pending == null || pending.isEmpty()) {
                return;
            }
            Duration delay = DynamoDb.THROTTLING_BACKOFF.computeDelay(attempt);
            if (System.nanoTime() + delay.toNanos() >= deadline) {
                throw new StoreBusyException("DynamoDB left part of a batch " + undone + " for " + budget.toMillis()
                        + " ms");
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreBusyException("interrupted during a batch");
            }
        }
    }

    private static void await(Future<?> call) {
        try {
            call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted during a batch");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
