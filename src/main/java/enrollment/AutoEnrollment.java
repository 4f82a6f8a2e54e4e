package enrollment;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import store.Tables;

/**
 * The registrar's switch for automatic enrollment from the waiting lists (on unless frozen; docs/api.md
 * "Registrar"): the gateway to the row of the {@code settings} table that holds it.
 */
public final class AutoEnrollment {

    private static final Map<String, AttributeValue> KEY = Map.of("name", AttributeValue.fromS("autoEnrollment"));

    private final DynamoDbClient dynamo;
    private final String table;

    /**
     * @param dynamo the DynamoDB client
     * @param tables the table names
     */
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

    /**
     * Reads the switch, consistently, so a registrar's freeze holds for the very next seat freed.
     *
     * @return the switch; on when the registrar never set it
     */
    public Switch read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(KEY).consistentRead(true)).item();
        return new Switch(item.isEmpty() || item.get("enabled").bool());
    }

    /**
     * Stores the switch as the registrar set it.
     *
     * @param value the switch
     * @return {@code value}
     */
    public Switch write(Switch value) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("name", KEY.get("name"),
                "enabled", AttributeValue.fromBool(value.enabled()))));
        return value;
    }
}
