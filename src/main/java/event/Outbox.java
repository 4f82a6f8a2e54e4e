package event;

import java.util.List;
import java.util.Map;
import json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.Put;
import store.Tables;

/**
 * Events waiting to be published, in DynamoDB. An event is written in the same transaction as the change that
 * causes it ({@link #put}), so an event whose change was stored can never be lost; it stays pending until the
 * broker confirmed it. routes/EventRoutes reads and marks the rows with aws2-ddb steps built from what this class
 * gives.
 */
public final class Outbox {

    private static final AttributeValue PENDING = AttributeValue.fromS("pending");

    private final String table;

    public Outbox(Tables tables) {
        this.table = tables.outbox();
    }

    /** The outbox row of an event, to add to the transaction of the change that causes it. */
    public Put put(Event event) {
        return Put.builder().tableName(table).item(Map.of("id", AttributeValue.fromS(event.id()),
                "state", PENDING, "createdAt", AttributeValue.fromN(Long.toString(event.occurredAt().toEpochMilli())),
                "event", AttributeValue.fromS(Json.write(event)))).build();
    }

    /**
     * The key conditions of the {@code pending} index's query for the events the broker missed: pending, and written
     * before {@code cutoffMillis} (younger ones are still being published by the flow that wrote them).
     *
     * @param cutoffMillis epoch ms
     * @return DynamoDB {@code KeyConditions}, for an aws2-ddb Query step
     */
    public static Map<String, Condition> pendingBefore(long cutoffMillis) {
        return Map.of("state", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(PENDING)
                        .build(),
                "createdAt", Condition.builder().comparisonOperator(ComparisonOperator.LT)
                        .attributeValueList(AttributeValue.fromN(Long.toString(cutoffMillis))).build());
    }

    /**
     * @param items outbox rows as a query returned them
     * @return their events, in the rows' order
     */
    public static List<Event> events(List<Map<String, AttributeValue>> items) {
        return items.stream().map(item -> Json.read(item.get("event").s(), Event.class)).toList();
    }

    /** @return the key of the outbox row of the event with this id */
    public static Map<String, AttributeValue> key(String eventId) {
        return Map.of("id", AttributeValue.fromS(eventId));
    }

    /**
     * The update of a row whose event the broker confirmed: it leaves the pending index (its {@code state} removed)
     * and records when ({@code publishedAt}, epoch ms); the row stays as a record.
     *
     * @return DynamoDB {@code AttributeUpdates}, for an aws2-ddb UpdateItem step
     */
    public static Map<String, AttributeValueUpdate> published(long nowMillis) {
        return Map.of("state", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build(),
                "publishedAt", AttributeValueUpdate.builder().action(AttributeAction.PUT)
                        .value(AttributeValue.fromN(Long.toString(nowMillis))).build());
    }
}
