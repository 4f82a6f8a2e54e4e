package event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import store.Tables;

/**
 * Events waiting to be published, in DynamoDB. An event is written in the same transaction as the change that
 * causes it ({@link #put}), so an event whose change was stored can never be lost; it stays pending until the
 * broker confirmed it.
 */
public final class Outbox {

    private static final AttributeValue PENDING = AttributeValue.fromS("pending");

    private final DynamoDbClient dynamo;
    private final String table;

    public Outbox(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.table = tables.outbox();
    }

    /** The outbox row of an event, to add to the transaction of the change that causes it. */
    public Put put(Event event) {
        return Put.builder().tableName(table).item(Map.of("id", AttributeValue.fromS(event.id()),
                "state", PENDING, "createdAt", AttributeValue.fromN(Long.toString(event.occurredAt().toEpochMilli())),
                "event", AttributeValue.fromS(Json.write(event)))).build();
    }

    /**
     * Pending events older than {@code minAgeMillis}, oldest first (a query of the sparse {@code pending} index).
     * Younger ones are still being published by the flow that wrote them.
     */
    public List<Event> pending(int limit, long minAgeMillis) {
        List<Event> events = new ArrayList<>();
        String cutoff = Long.toString(System.currentTimeMillis() - minAgeMillis);
        dynamo.query(QueryRequest.builder().tableName(table).indexName("pending")
                        .keyConditionExpression("#state = :pending AND createdAt < :cutoff")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":pending", PENDING, ":cutoff", AttributeValue.fromN(cutoff)))
                        .limit(limit).build())
                .items().forEach(item -> events.add(Json.read(item.get("event").s(), Event.class)));
        return events;
    }

    /** The broker confirmed the event: it leaves the pending index (the row stays as a record). */
    public void markPublished(Event event) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(event.id())))
                .updateExpression("REMOVE #state SET publishedAt = :now")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
    }
}
