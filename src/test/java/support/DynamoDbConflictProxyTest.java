package support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import embedded.EmbeddedDynamoDb;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * {@link DynamoDbConflictProxy} in front of DynamoDB Local, seen through the AWS SDK with retries off: each case
 * checks that the SDK raises the exception it raises for the real DynamoDB.
 */
class DynamoDbConflictProxyTest {

    private static final String TABLE = "proxy-test";
    private static final Duration HOLD = Duration.ofMillis(300);

    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbConflictProxy proxy;
    private static DynamoDbClient dynamo;
    private static ExecutorService callers;

    @BeforeAll
    static void start() throws Exception {
        dynamoDb = EmbeddedDynamoDb.start(null);
        proxy = DynamoDbConflictProxy.start(dynamoDb.endpoint());
        dynamo = DynamoDbClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
                // the proxy's answers are what is under test, not the SDK's retries of them
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build()));
        callers = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        callers.shutdownNow();
        dynamo.close();
        proxy.close();
        dynamoDb.close();
    }

    @AfterEach
    void restoreModes() {
        proxy.transactionLatency(Duration.ofMillis(10)).otherLatency(Duration.ZERO).throttle(0).loseAnswers(0);
        proxy.reset();
    }

    @Test
    void ofTwoConcurrentTransactionsOnOneItemOneIsCancelledWithTransactionConflict() {
        proxy.transactionLatency(Duration.ofMillis(200));
        String item = newKey();

        CompletableFuture<Throwable> first = inBackground(increment(token(), item));
        CompletableFuture<Throwable> second = inBackground(increment(token(), item));
        List<Throwable> outcomes = Arrays.asList(first.join(), second.join());

        assertThat(outcomes).containsOnlyOnce((Throwable) null);
        TransactionCanceledException cancelled = (TransactionCanceledException) outcomes.stream()
                .filter(outcome -> outcome != null).findFirst().orElseThrow();
        assertThat(codes(cancelled)).containsExactly("TransactionConflict");
        assertThat(cancelled.cancellationReasons().get(0).message()).isEqualTo("Transaction is ongoing for the item");
        assertThat(count(item)).isEqualTo(1);
        assertThat(proxy.counters().transactionConflicts()).isEqualTo(1);
        assertThat(proxy.counters().transactionsForwarded()).isEqualTo(1);
    }

    @Test
    void aCancelledTransactionGetsOneReasonPerItemInOrder() {
        proxy.transactionLatency(HOLD);
        String held = newKey();
        String free = newKey();
        CompletableFuture<Throwable> holder = inBackground(increment(token(), held));
        awaitItemsInFlight(1);

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> dynamo.transactWriteItems(increment(token(), free, held)));

        assertThat(codes(cancelled)).containsExactly("None", "TransactionConflict");
        assertThat(cancelled.awsErrorDetails().errorMessage()).isEqualTo(
                "Transaction cancelled, please refer cancellation reasons for specific reasons"
                        + " [None, TransactionConflict]");
        assertThat(cancelled.statusCode()).isEqualTo(400);
        assertThat(holder.join()).isNull();
        assertThat(count(free)).isZero();
    }

    @Test
    void aSingleItemWriteOnAnItemATransactionHoldsGetsTransactionConflictException() {
        proxy.transactionLatency(HOLD);
        String item = newKey();
        CompletableFuture<Throwable> holder = inBackground(increment(token(), item));
        awaitItemsInFlight(1);

        assertThatThrownBy(() -> dynamo.updateItem(b -> b.tableName(TABLE).key(key(item))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", number(1)))))
                .isInstanceOf(TransactionConflictException.class)
                .hasMessageStartingWith("Transaction is ongoing for the item");
        // a PutItem names its key inside the item: the proxy finds it through the table's key schema
        assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(TABLE)
                .item(Map.of("pk", string(item), "n", number(5)))))
                .isInstanceOf(TransactionConflictException.class);
        assertThat(holder.join()).isNull();
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", string(item), "n", number(7))));

        assertThat(count(item)).isEqualTo(7);
        assertThat(proxy.counters().transactionConflictExceptions()).isEqualTo(2);
    }

    @Test
    void aTransactionWhoseTokenIsInFlightGetsTransactionInProgressException() {
        proxy.transactionLatency(HOLD);
        TransactWriteItemsRequest request = increment(token(), newKey());
        CompletableFuture<Throwable> first = inBackground(request);
        awaitItemsInFlight(1);

        assertThatThrownBy(() -> dynamo.transactWriteItems(request))
                .isInstanceOf(TransactionInProgressException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).isThrottlingException()).isTrue());
        assertThat(first.join()).isNull();
        assertThat(proxy.counters().transactionsInProgress()).isEqualTo(1);
    }

    @Test
    void transactionsOnDifferentItemsRunTogether() {
        proxy.transactionLatency(HOLD);
        String one = newKey();
        String other = newKey();

        long started = System.nanoTime();
        CompletableFuture<Throwable> first = inBackground(increment(token(), one));
        CompletableFuture<Throwable> second = inBackground(increment(token(), other));
        assertThat(first.join()).isNull();
        assertThat(second.join()).isNull();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(elapsed).isBetween(HOLD, HOLD.multipliedBy(2).minusMillis(50));
        assertThat(count(one)).isEqualTo(1);
        assertThat(count(other)).isEqualTo(1);
        assertThat(proxy.counters().transactionConflicts()).isZero();
    }

    @Test
    void throttledRequestsGetTheErrorsTheSdkCountsAsThrottling() {
        proxy.throttle(1.0);
        ThrottlingException onDemand = catchThrowableOfType(ThrottlingException.class, () -> count(newKey()));
        assertThat(onDemand.isThrottlingException()).isTrue();
        assertThat(onDemand.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(onDemand.statusCode()).isEqualTo(400);
        assertThat(onDemand.requestId()).isNotBlank();

        proxy.throttle(1.0, DynamoDbConflictProxy.Throttle.PROVISIONED_THROUGHPUT_EXCEEDED);
        assertThatThrownBy(() -> dynamo.transactWriteItems(increment(token(), newKey())))
                .isInstanceOf(ProvisionedThroughputExceededException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).isThrottlingException()).isTrue());

        proxy.throttle(1.0, DynamoDbConflictProxy.Throttle.REQUEST_LIMIT_EXCEEDED);
        assertThatThrownBy(() -> count(newKey()))
                .isInstanceOf(RequestLimitExceededException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).isThrottlingException()).isTrue());
        assertThat(proxy.counters().throttled()).isEqualTo(3);
        assertThat(proxy.counters().transactionsForwarded()).isZero();
    }

    @Test
    void aFractionThrottlesThatShareOfRequestsEvenly() {
        proxy.throttle(0.25);
        List<Boolean> throttled = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            try {
                count(newKey());
                throttled.add(false);
            } catch (ThrottlingException e) {
                throttled.add(true);
            }
        }
        assertThat(throttled).containsExactly(false, false, false, true, false, false, false, true);
    }

    @Test
    void aLostAnswerIsA500AfterTheTransactionTookEffect() {
        String item = newKey();
        TransactWriteItemsRequest request = increment(token(), item);
        proxy.loseAnswers(1);

        InternalServerErrorException lost = catchThrowableOfType(InternalServerErrorException.class,
                () -> dynamo.transactWriteItems(request));

        assertThat(lost.statusCode()).isEqualTo(500);
        assertThat(lost.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
        assertThat(count(item)).isEqualTo(1);
        assertThat(proxy.counters().answersLost()).isEqualTo(1);

        // The retry the SDK would make: same request, same ClientRequestToken, within 10 minutes. DynamoDB answers
        // 200 without applying it again; DynamoDB Local 2.6.1 does the same (it keeps the token).
        dynamo.transactWriteItems(request);
        assertThat(count(item)).isEqualTo(1);
        assertThat(proxy.counters().transactionsForwarded()).isEqualTo(2);
    }

    @Test
    void syntheticAnswersCarryDynamoDbsHeadersAndAValidCrc32() throws Exception {
        proxy.throttle(1.0);
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(proxy.endpoint().resolve("/"))
                        .header("Content-Type", "application/x-amz-json-1.0")
                        .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"" + TABLE + "\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
        assertThat(answer.headers().firstValue("x-amzn-RequestId")).isPresent();
        CRC32 crc = new CRC32();
        crc.update(answer.body());
        assertThat(answer.headers().firstValue("x-amz-crc32")).hasValue(Long.toString(crc.getValue()));
        JsonNode body = new ObjectMapper().readTree(answer.body());
        assertThat(body.path("__type").asText()).isEqualTo("com.amazonaws.dynamodb.v20120810#ThrottlingException");
        assertThat(body.path("message").asText()).isEqualTo("Rate of requests exceeds the allowed throughput.");
    }

    @Test
    void theCountersAreAnsweredAsJsonAndNeverForwarded() throws Exception {
        proxy.transactionLatency(Duration.ZERO);
        dynamo.transactWriteItems(increment(token(), newKey()));
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> counters = http.send(
                HttpRequest.newBuilder(proxy.endpoint().resolve("/__proxy/counters")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = http.send(
                HttpRequest.newBuilder(proxy.endpoint().resolve("/__proxy/other")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(counters.statusCode()).isEqualTo(200);
        assertThat(counters.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = new ObjectMapper().readTree(counters.body());
        assertThat(json.path("transactionsForwarded").asLong()).isEqualTo(1);
        assertThat(json.has("answersLost")).isTrue();
        assertThat(other.statusCode()).isEqualTo(404);
    }

    private static TransactWriteItemsRequest increment(String token, String... items) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (String item : items) {
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key(item))
                    .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", number(1)))).build());
        }
        return TransactWriteItemsRequest.builder().clientRequestToken(token).transactItems(writes).build();
    }

    /** Runs the transaction on another thread; completes with what it threw, or null when it succeeded. */
    private static CompletableFuture<Throwable> inBackground(TransactWriteItemsRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                dynamo.transactWriteItems(request);
                return null;
            } catch (DynamoDbException e) {
                return e;
            }
        }, callers);
    }

    private static void awaitItemsInFlight(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.itemsInFlight() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no transaction reached the proxy");
            }
            Thread.onSpinWait();
        }
    }

    private static long count(String item) {
        AttributeValue n = dynamo.getItem(b -> b.tableName(TABLE).key(key(item)).consistentRead(true))
                .item().get("n");
        return n == null ? 0 : Long.parseLong(n.n());
    }

    private static List<String> codes(TransactionCanceledException cancelled) {
        return cancelled.cancellationReasons().stream().map(CancellationReason::code).toList();
    }

    private static Map<String, AttributeValue> key(String item) {
        return Map.of("pk", string(item));
    }

    private static AttributeValue string(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue number(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    private static String newKey() {
        return "item-" + UUID.randomUUID();
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }
}
