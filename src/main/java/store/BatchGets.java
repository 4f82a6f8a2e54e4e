package store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Bulk reads of one table: {@code BatchGetItem} calls of 100 keys (DynamoDB's limit per call), a few in flight at
 * once, each call's {@code UnprocessedKeys} sent again until DynamoDB has read them ({@link BatchCalls}): a key left
 * unread is never taken for a missing row.
 */
public final class BatchGets implements AutoCloseable {

    /** DynamoDB's limit of keys per {@code BatchGetItem}. */
    static final int KEYS_PER_CALL = 100;
    /** Calls in flight at once: a few, as reads of a whole file are one request's work among others. */
    private static final int CALLS_IN_FLIGHT = 4;

    private final DynamoDbClient dynamo;
    private final BatchCalls calls;

    /**
     * @param budget how long one chunk's unprocessed keys are sent again before the read gives up
     *               ({@code DYNAMODB_RETRY_BUDGET})
     */
    public BatchGets(DynamoDbClient dynamo, Duration budget) {
        this.dynamo = dynamo;
        this.calls = new BatchCalls("batch-get", CALLS_IN_FLIGHT, budget);
    }

    /**
     * Reads the rows of the keys, consistently, with only the attributes named.
     *
     * @param table the table's name
     * @param keys the rows' keys, each once, any number
     * @param projection a projection expression, e.g. {@code "#id, #roles"}
     * @param names the expression attribute names it uses
     * @return the rows that exist, in no particular order
     * @throws StoreBusyException when a chunk stayed throttled past the budget
     */
    public List<Map<String, AttributeValue>> getAll(String table, List<Map<String, AttributeValue>> keys,
                                                    String projection, Map<String, String> names) {
        List<Map<String, AttributeValue>> found = Collections.synchronizedList(new ArrayList<>());
        List<Runnable> chunks = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_CALL) {
            KeysAndAttributes chunk = KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_CALL)))
                    .projectionExpression(projection).expressionAttributeNames(names).consistentRead(true).build();
            chunks.add(() -> calls.untilDone(Map.of(table, chunk), pending -> {
                BatchGetItemResponse answer = dynamo.batchGetItem(b -> b.requestItems(pending));
                found.addAll(answer.responses().getOrDefault(table, List.of()));
                return answer.unprocessedKeys();
            }, "unread"));
        }
        calls.runAll(chunks);
        return found;
    }

    @Override
    public void close() {
        calls.close();
    }
}
