package bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What DynamoDB Local does by itself on this machine (RushBench's mode probe), straight from an AWS SDK client (no
 * proxy, no service): TransactWriteItems shaped like a seat (+1 on a class item, put an enrollment row) one at a time
 * and 32 at a time (each thread its own class item: no conflict), then consistent GetItems 32 at a time; seconds each.
 */
final class DynamoDbProbe {

    private DynamoDbProbe() {
    }

    /**
     * Runs the probe in a table of its own (deleted at the end) and prints one line "probe …" per kind of request.
     *
     * @param endpoint DynamoDB Local, {@code http://127.0.0.1:PORT} (the caller checks it)
     * @param seconds how long each kind is measured (after half as long unmeasured)
     * @throws Exception when DynamoDB Local does not create the table or a thread is interrupted
     */
    @SuppressWarnings("unchecked")   // the SDK's builder-consumer varargs
    static void run(String endpoint, int seconds) throws Exception {
        DynamoDbClient dynamo =
                DynamoDbClient.builder()
                        .endpointOverride(URI.create(endpoint))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "local")))
                        .httpClientBuilder(ApacheHttpClient.builder()
                                .maxConnections(64))
                        .build();
        String table = "rushbench-probe-" + Long.toString(System.currentTimeMillis(), 36);
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id")
                        .attributeType(ScalarAttributeType.N)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        AtomicLong rows = new AtomicLong(1_000_000);
        for (int c = 0; c < 32; c++) {
            int id = c;
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                    "id", AttributeValue.fromN(Integer.toString(id)),
                    "enrolled", AttributeValue.fromN("0"))));
        }
        interface Op {
            void run(int thread);
        }
        Op seat = thread -> dynamo.transactWriteItems(b -> b.transactItems(
                t -> t.update(u -> u.tableName(table)
                        .key(Map.of("id", AttributeValue.fromN(
                                Integer.toString(thread))))
                        .updateExpression("SET enrolled = enrolled + :one")
                        .conditionExpression("attribute_exists(id)")
                        .expressionAttributeValues(Map.of(":one",
                                AttributeValue.fromN("1")))),
                t -> t.put(p -> p.tableName(table).item(Map.of("id",
                        AttributeValue.fromN(
                                Long.toString(rows.incrementAndGet()))))
                        .conditionExpression("attribute_not_exists(id)"))));
        Op read = thread -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromN(
                        Integer.toString(thread)))));
        record Phase(String name, Op op, int threads) {
        }
        for (Phase phase : List.of(new Phase("TransactWriteItems, 1 at a time", seat, 1),
                new Phase("TransactWriteItems, 32 at a time", seat, 32),
                new Phase("GetItem (consistent), 32 at a time", read, 32))) {
            for (int pass = 0; pass < 2; pass++) {   // the first pass warms up, the second is reported
                AtomicLong done = new AtomicLong();
                AtomicLong errors = new AtomicLong();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(pass == 0 ? Math.max(1, seconds / 2) : seconds);
                long start = System.nanoTime();
                List<Thread> threads = new ArrayList<>();
                for (int k = 0; k < phase.threads(); k++) {
                    int thread = k;
                    Thread t = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                phase.op().run(thread);
                                done.incrementAndGet();
                            } catch (RuntimeException e) {
                                errors.incrementAndGet();
                            }
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                for (Thread t : threads) {
                    t.join();
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (pass == 1) {
                    System.out.printf("probe %s: %.0f/s (mean %.1f ms each)%s%n", phase.name(), done.get() / elapsed,
                            elapsed * phase.threads() * 1000 / Math.max(1, done.get()),
                            errors.get() == 0 ? "" : ", " + errors.get() + " errors");
                }
            }
        }
        dynamo.deleteTable(b -> b.tableName(table));
        dynamo.close();
    }
}
