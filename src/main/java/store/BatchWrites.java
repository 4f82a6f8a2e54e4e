package store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Bulk puts into one table: {@code BatchWriteItem} calls of 25 items (DynamoDB's limit per call), a few in flight at
 * once, each call's {@code UnprocessedItems} sent again until DynamoDB takes them ({@link BatchCalls}). The puts are
 * idempotent, so a bulk write that failed half way can simply be sent again.
 */
public final class BatchWrites implements AutoCloseable {

    /** DynamoDB's limit of write requests per {@code BatchWriteItem}. */
    static final int ITEMS_PER_CALL = 25;
    /** Calls in flight at once: enough to hide the round trips, few enough not to starve the requests. */
    private static final int CALLS_IN_FLIGHT = 8;

    private final DynamoDbClient dynamo;
    private final BatchCalls calls;

    /**
     * @param budget how long one chunk's unprocessed items are sent again before the write gives up
     *               ({@code DYNAMODB_RETRY_BUDGET})
     */
    public BatchWrites(DynamoDbClient dynamo, Duration budget) {
        this.dynamo = dynamo;
        this.calls = new BatchCalls("batch-write", CALLS_IN_FLIGHT, budget);
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
        List<Runnable> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += ITEMS_PER_CALL) {
            List<WriteRequest> chunk = items.subList(from, Math.min(items.size(), from + ITEMS_PER_CALL)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            chunks.add(() -> calls.untilDone(Map.of(table, chunk),
                    pending -> dynamo.batchWriteItem(b -> b.requestItems(pending)).unprocessedItems(), "unwritten"));
        }
        calls.runAll(chunks);
    }

    @Override
    public void close() {
        calls.close();
    }
}
