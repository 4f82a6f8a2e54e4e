package enrollment;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import store.Tables;

/** The registrar's switch for automatic enrollment from the waiting lists (on unless frozen). */
public final class AutoEnrollment {

    private static final Map<String, AttributeValue> KEY = Map.of("name", AttributeValue.fromS("autoEnrollment"));

    private final DynamoDbClient dynamo;
    private final String table;

    public AutoEnrollment(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.table = tables.settings();
    }

    /** The body and answer of {@code PUT /registrar/auto-enrollment}. */
    public record Switch(Boolean enabled) {
        public Switch {
            if (enabled == null) {
                throw new IllegalArgumentException("enabled must be true or false");
            }
        }
    }

    public boolean enabled() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(KEY).consistentRead(true)).item();
        return item.isEmpty() || item.get("enabled").bool();
    }

    public Switch current() {
        return new Switch(enabled());
    }

    public Switch set(Switch value) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(KEY);
        item.put("enabled", AttributeValue.fromBool(value.enabled()));
        dynamo.putItem(b -> b.tableName(table).item(item));
        return value;
    }
}
