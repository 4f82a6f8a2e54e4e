package store;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/** The DynamoDB client, its retry policy under contention, and the start-up step that checks the tables. */
public final class DynamoDb {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDb.class);

    /**
     * Cancellation reasons that say "another writer was there", not "your condition failed": the transaction may
     * succeed when sent again (DynamoDB developer guide, "Transaction conflict handling").
     */
    private static final Set<String> TRANSIENT_REASONS =
            Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "None");

    /** Full jitter: a delay drawn between 0 and min(cap, base × 2^attempt) (AWS's guidance for contention). */
    static final BackoffStrategy CONFLICT_BACKOFF =
            BackoffStrategy.exponentialDelay(Duration.ofMillis(10), Duration.ofMillis(400));
    static final BackoffStrategy THROTTLING_BACKOFF =
            BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(2));
    /** Attempts of one SDK call (lost connections, 5xx, throttling) before its failure reaches the caller. */
    private static final int SDK_ATTEMPTS = 4;

    private DynamoDb() {
    }

    /**
     * A client for the endpoint, with credentials from the usual AWS chain. When the chain has none, placeholder
     * credentials are used: DynamoDB Local (embedded or not) accepts any, and real AWS refuses them clearly.
     *
     * <p>Throttling (including {@code TransactionInProgress}), server errors and lost connections are retried by
     * the SDK's standard strategy with capped exponential backoff and full jitter (AWS Architecture Blog,
     * "Exponential Backoff And Jitter"), its retry quota off (at a rush most first attempts fail, and the quota
     * would fail the rest without a try), within the call's time budget ({@code apiCallTimeout}). Transaction
     * conflicts are retried by {@link Transactions}, which never abandons an attempt in flight.
     *
     * @param endpoint DynamoDB's URL ({@code https://} for AWS, with the trust's CAs), or null for AWS's default
     * @param region the AWS region
     * @param trust the CAs the endpoint's certificate must chain to
     * @param budget the most one call may take, all its attempts and back-offs included
     */
    public static DynamoDbClient client(URI endpoint, String region, TlsTrust trust, Duration budget) {
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(SDK_ATTEMPTS)
                .backoffStrategy(CONFLICT_BACKOFF)
                .throttlingBackoffStrategy(THROTTLING_BACKOFF)
                // a plain write that met a transaction was refused whole: safe to send again
                .retryOnException(TransactionConflictException.class)
                .circuitBreakerEnabled(false)
                .build();
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(128)
                        .tlsTrustManagersProvider(() -> new javax.net.ssl.TrustManager[] {trust.trustManager()}))
                .overrideConfiguration(o -> o.retryStrategy(retries).apiCallTimeout(budget))
                .build();
    }

    /**
     * Whether a failure means "the item was busy": a transaction cancelled only for conflicts or throttling, a
     * transaction with the same client token still running, or a plain write that met a running transaction.
     */
    public static boolean isContention(Throwable failure) {
        if (failure instanceof TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            return reasons.stream().anyMatch(r -> !"None".equals(r.code()))
                    && reasons.stream().allMatch(r -> TRANSIENT_REASONS.contains(r.code()));
        }
        return failure instanceof TransactionInProgressException || failure instanceof TransactionConflictException;
    }

    /**
     * Creates each table that does not exist yet (when {@code create} is true) and waits until all are active.
     * Safe when several instances start at once: a concurrent creation is just another instance winning the race.
     *
     * @throws IllegalStateException when {@code create} is false and a table is missing
     */
    public static void prepareTables(DynamoDbClient dynamo, List<TableSpec> tables, boolean create) {
        List<String> existing = dynamo.listTablesPaginator().tableNames().stream().toList();
        for (TableSpec table : tables) {
            if (existing.contains(table.name())) {
                continue;
            }
            if (!create) {
                throw new IllegalStateException("table " + table.name() + " does not exist and "
                        + "DYNAMODB_CREATE_TABLES is false (docs/operations.md, \"Deploying\", lists the tables)");
            }
            try {
                dynamo.createTable(table.createRequest());
                LOG.info("created DynamoDB table {}", table.name());
            } catch (ResourceInUseException raced) {
                LOG.debug("table {} was created by another instance", table.name());
            }
        }
        for (TableSpec table : tables) {
            try {
                dynamo.waiter().waitUntilTableExists(b -> b.tableName(table.name()));
            } catch (ResourceNotFoundException e) {
                throw new IllegalStateException("table " + table.name() + " did not become active", e);
            }
        }
    }
}
