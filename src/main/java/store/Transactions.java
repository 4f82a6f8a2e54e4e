package store;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Every DynamoDB transaction of the service. A transaction is sent until DynamoDB takes it, refuses it for a
 * condition, or the caller's budget is spent. Every attempt carries the same client request token, so an attempt
 * whose answer was lost and is sent again is applied once and answered as the first (TransactWriteItems
 * idempotency). An attempt in flight is always awaited, never abandoned: when this gives up, the last answer was a
 * cancellation, so nothing was written. Conflicts and throttling are sent again after a capped exponential delay
 * with full jitter (the AWS SDK's {@code BackoffStrategy}; AWS Architecture Blog, "Exponential Backoff And
 * Jitter").
 */
public final class Transactions {

    /** A transaction attempt is awaited this long at most, whatever the budget (a hung endpoint still ends). */
    private static final Duration ATTEMPT_LIMIT = Duration.ofSeconds(60);

    private final DynamoDbClient dynamo;
    private final Duration budget;

    /** @param budget how long a caller may wait for its transaction in all ({@code DYNAMODB_RETRY_BUDGET}) */
    public Transactions(DynamoDbClient dynamo, Duration budget) {
        this.dynamo = dynamo;
        this.budget = budget;
    }

    /** As {@link #write(List, Duration)}, within the whole budget. */
    public void write(List<TransactWriteItem> items) {
        write(items, budget);
    }

    /**
     * Writes the items in one transaction.
     *
     * @param items the transaction's items (at most 100)
     * @param within how long the caller may wait in all
     * @throws StoreBusyException when the items stayed contended or throttled past {@code within}; nothing was
     *         written
     * @throws TransactionCanceledException when a condition failed ({@code ConditionalCheckFailed})
     */
    public void write(List<TransactWriteItem> items, Duration within) {
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + within.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token)
                        .overrideConfiguration(o -> o.apiCallTimeout(ATTEMPT_LIMIT)));
                return;
            } catch (SdkServiceException e) {
                if (!DynamoDb.isContention(e) && !e.isThrottlingException()) {
                    throw e;
                }
                Duration delay = e.isThrottlingException() ? DynamoDb.THROTTLING_BACKOFF.computeDelay(attempt)
                        : DynamoDb.CONFLICT_BACKOFF.computeDelay(attempt);
                if (System.nanoTime() + delay.toNanos() >= deadline) {
                    throw new StoreBusyException("the items stayed contended for " + within.toMillis()
                            + " ms; nothing was changed");
                }
                sleep(delay);
            }
        }
    }

    /**
     * Whether a refused transaction's item was refused by its own condition (not merely cancelled with the others).
     *
     * @param refused the refusal {@link #write} threw
     * @param index the item's index in the transaction
     * @return true when the item's condition failed ({@code ConditionalCheckFailed})
     */
    public static boolean failed(TransactionCanceledException refused, int index) {
        List<CancellationReason> reasons = refused.cancellationReasons();
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting to write again; nothing was changed");
        }
    }
}
