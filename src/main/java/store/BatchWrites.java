package store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Bulk puts into one table: {@code BatchWriteItem} calls of 25 items (DynamoDB's limit per call), a few in flight at
 * once, each call's {@code UnprocessedItems} sent again after a capped exponential delay with full jitter until
 * DynamoDB takes them, as the DynamoDB developer guide asks ("Batch operations": a throttled batch returns what it did
 * not write instead of failing). The puts are idempotent, so a bulk write that failed half way can simply be sent
 * again.
 */
public final class BatchWrites implements AutoCloseable {

    /** DynamoDB's limit of write requests per {@code BatchWriteItem}. */
    static final int ITEMS_PER_CALL = 25;
    /** Calls in flight at once: enough to hide the round trips, few enough not to starve the requests. */
    private static final int CALLS_IN_FLIGHT = 8;

    private final DynamoDbClient dynamo;
    private final Duration budget;
    private final ExecutorService calls = Executors.newFixedThreadPool(CALLS_IN_FLIGHT, task -> {
        Thread thread = new Thread(task, "batch-write");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param budget how long one chunk's unprocessed items are sent again before the write gives up
     *               ({@code DYNAMODB_RETRY_BUDGET})
     */
    public BatchWrites(DynamoDbClient dynamo, Duration budget) {
        this.dynamo = dynamo;
        this.budget = budget;
    }

    /**
     * Puts every item into the table (each replaces the row of its key).
     *
     * @param table the table's name
     * @param items the rows, any number
     * @throws StoreBusyException when a chunk stayed throttled past the budget (the chunks before it are written;
     *         writing all again is safe)
     */
    public void putAll(String table, List<Map<String, AttributeValue>> items) {
        List<Future<?>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += ITEMS_PER_CALL) {
            List<WriteRequest> chunk = items.subList(from, Math.min(items.size(), from + ITEMS_PER_CALL)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            chunks.add(calls.submit(() -> write(table, chunk)));
        }
        for (Future<?> chunk : chunks) {
            await(chunk);
        }
    }

    private void write(String table, List<WriteRequest> chunk) {
        Map<String, List<WriteRequest>> pending = Map.of(table, chunk);
        long deadline = System.nanoTime() + budget.toNanos();
        for (int attempt = 1; ; attempt++) {
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse answer = dynamo.batchWriteItem(b -> b.requestItems(request));
            if (!answer.hasUnprocessedItems() || answer.unprocessedItems().isEmpty()) {
                return;
            }
            pending = answer.unprocessedItems();
            Duration delay = DynamoDb.THROTTLING_BACKOFF.computeDelay(attempt);
            if (System.nanoTime() + delay.toNanos() >= deadline) {
                throw new StoreBusyException("DynamoDB left " + pending.get(table).size() + " items of a batch "
                        + "unwritten for " + budget.toMillis() + " ms");
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreBusyException("interrupted while writing a batch");
            }
        }
    }

    private static void await(Future<?> chunk) {
        try {
            chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while writing a batch");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
