package support;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import store.BatchWrites;
import store.DynamoDb;
import store.Tables;
import store.TlsTrust;

/**
 * Students as the service reads them, written straight into its users table: a user row with the Student role each
 * ({@code id}, {@code username} "s&lt;id&gt;", {@code name} "Student &lt;id&gt;", {@code roles} [Student]), as
 * {@code POST /registrar/users} writes it without a password to log in with, in {@code BatchWriteItem}s. Thousands of
 * accounts through the API would cost a password hash each. The registrar's operations on a student accept them
 * (docs/api.md "Registration windows and holds": {@code student-not-found} otherwise); their tokens:
 * {@link Tokens#student}, whose name claim is the same.
 *
 * <p>Used by the tests ({@link RunningService#storedStudents}) and by the benchmarks (bench.RushBench).
 */
public final class StoredStudents {

    /** How long one chunk's unprocessed items are sent again before the write gives up. */
    private static final Duration BATCH_BUDGET = Duration.ofMinutes(1);
    /** The most one DynamoDB call may take, its retries included (a client opened here). */
    private static final Duration CALL_BUDGET = Duration.ofSeconds(30);

    private StoredStudents() {
    }

    /**
     * Writes the students' rows through a client of its own.
     *
     * @param endpoint DynamoDB's URL (the service's {@code DYNAMODB_ENDPOINT}), plain HTTP or with the JDK's CAs
     * @param region the AWS region ({@code AWS_REGION})
     * @param storePrefix the service's {@code STORE_PREFIX}, which names its tables
     * @param ids the students' ids
     */
    public static void put(URI endpoint, String region, String storePrefix, Collection<Long> ids) {
        try (DynamoDbClient dynamo = DynamoDb.client(endpoint, region, TlsTrust.of(null), CALL_BUDGET)) {
            put(dynamo, new Tables(storePrefix), ids);
        }
    }

    /**
     * Writes the students' rows (each replaces the row of its id; writing them again is harmless).
     *
     * @param tables the service's tables (its {@code STORE_PREFIX})
     * @throws software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException when there is no users table
     *         of that prefix (no instance with it has started on that DynamoDB)
     */
    public static void put(DynamoDbClient dynamo, Tables tables, Collection<Long> ids) {
        List<Map<String, AttributeValue>> rows = ids.stream().map(StoredStudents::row).toList();
        try (BatchWrites batches = new BatchWrites(dynamo, BATCH_BUDGET)) {
            batches.putAll(tables.users(), rows);
        }
    }

    /**
     * Writes COUNT students, ids FIRST_ID … FIRST_ID + COUNT − 1, into the users table of the service at ENDPOINT
     * (its DYNAMODB_ENDPOINT, or the address its embedded DynamoDB Local logs) and STORE_PREFIX, for the bench shell
     * scripts (bench/import.sh): {@code java -cp CP support.StoredStudents ENDPOINT STORE_PREFIX FIRST_ID COUNT
     * [REGION=us-east-1]}.
     */
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: java -cp CP support.StoredStudents ENDPOINT STORE_PREFIX FIRST_ID COUNT "
                    + "[REGION]");
            System.exit(2);
        }
        long first = Long.parseLong(args[2]);
        List<Long> ids = LongStream.range(first, first + Long.parseLong(args[3])).boxed().toList();
        put(URI.create(args[0]), args.length > 4 ? args[4] : "us-east-1", args[1], ids);
    }

    /** One student's user row. */
    static Map<String, AttributeValue> row(long id) {
        return Map.of("id", AttributeValue.fromN(Long.toString(id)), "username", AttributeValue.fromS("s" + id),
                "name", AttributeValue.fromS("Student " + id), "roles", AttributeValue.fromSs(List.of("Student")));
    }
}
