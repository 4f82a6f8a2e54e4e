package store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Positive 64-bit ids from an atomic DynamoDB counter per sequence, unique across service instances. */
public final class Counters {

    private final DynamoDbClient dynamo;
    private final String table;

    public Counters(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.table = tables.counters();
    }

    public long next(String sequence) {
        return Long.parseLong(dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("name", AttributeValue.fromS(sequence)))
                .updateExpression("ADD #v :one")
                .expressionAttributeNames(Map.of("#v", "value"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.UPDATED_NEW))
                .attributes().get("value").n());
    }

    /** Whether the sequence was ever used: on an empty store, no user has been created yet. */
    public boolean used(String sequence) {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of("name", AttributeValue.fromS(sequence)))
                .consistentRead(true)).hasItem();
    }
}
