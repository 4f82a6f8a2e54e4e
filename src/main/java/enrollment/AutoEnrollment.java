package enrollment;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The registrar's switch for automatic enrollment from the waiting lists (on unless frozen): the row of the
 * {@code settings} table that holds it. The routes read and write the row through {@code aws2-ddb:} endpoints
 * (routes/AutoEnrollmentRoutes, routes/RegistrarRoutes); this class builds and reads it.
 */
public final class AutoEnrollment {

    private static final Map<String, AttributeValue> KEY = Map.of("name", AttributeValue.fromS("autoEnrollment"));

    /** The body and answer of {@code PUT /registrar/auto-enrollment}. */
    public record Switch(Boolean enabled) {
        public Switch {
            if (enabled == null) {
                throw new IllegalArgumentException("enabled must be true or false");
            }
        }
    }

    /** @return the key of the switch's row in the {@code settings} table */
    public Map<String, AttributeValue> key() {
        return KEY;
    }

    /**
     * @param item the row a {@code GetItem} returned (empty, or null, when the registrar never set the switch)
     * @return the switch; on when it was never set
     */
    public Switch fromRow(Map<String, AttributeValue> item) {
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
