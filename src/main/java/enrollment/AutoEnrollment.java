package enrollment;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The registrar's switch for automatic enrollment from the waiting lists (on unless frozen; docs/api.md
 * "Registrar"), as the row of the {@code settings} table that holds it. The routes read and write the row with
 * aws2-ddb steps (routes/AutoEnrollmentRoutes, routes/RegistrarRoutes); this class maps it.
 */
public final class AutoEnrollment {

    /** The row's key in the {@code settings} table. */
    public static final Map<String, AttributeValue> KEY = Map.of("name", AttributeValue.fromS("autoEnrollment"));

    private AutoEnrollment() {
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
     * @param item the row as a GetItem found it: empty or null when the registrar never set the switch
     * @return the switch; on when never set
     */
    public static Switch from(Map<String, AttributeValue> item) {
        return new Switch(item == null || item.isEmpty() || item.get("enabled").bool());
    }

    /**
     * @param value the switch as the registrar set it
     * @return the row that stores it, for a PutItem
     */
    public static Map<String, AttributeValue> item(Switch value) {
        return Map.of("name", KEY.get("name"), "enabled", AttributeValue.fromBool(value.enabled()));
    }
}
