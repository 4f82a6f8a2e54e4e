package enrollment;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import store.Tables;

/**
 * The registrar's switch for automatic enrollment from the waiting lists (on unless frozen, docs/api.md
 * "Registrar"): the row {@code autoEnrollment} of the {@code settings} table that holds it. The promoters read it
 * through {@link #read} (routes/AutoEnrollmentRoutes); the registrar's PUT writes the row its {@link #row} builds
 * (routes/RegistrarRoutes).
 */
public final class AutoEnrollment {

    private static final Map<String, AttributeValue> KEY = Map.of("name", AttributeValue.fromS("autoEnrollment"));

    private final DynamoDbClient dynamo;
    private final Tables tables;

    /**
     * @param dynamo the DynamoDB client
     * @param tables the table names
     */
    public AutoEnrollment(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
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
     * Reads the switch, consistently: a registrar's freeze holds for the very next seat freed.
     *
     * @return the switch; on when the registrar never set it
     */
    public Switch read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.settings()).key(KEY)
                .consistentRead(true)).item();
        return new Switch(item == null || item.isEmpty() || item.get("enabled").bool());
    }

    /**
     * @param value the switch as the registrar set it
     * @return its row for a {@code PutItem}
     */
    public Map<String, AttributeValue> row(Switch value) {
        Map<String, AttributeValue> item = new HashMap<>(KEY);
        item.put("enabled", AttributeValue.fromBool(value.enabled()));
        return item;
    }
}
