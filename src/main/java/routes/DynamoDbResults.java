package routes;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an aws2-ddb step left in the message's headers (camel-aws2-ddb's Ddb2Constants), typed for the step after it.
 */
final class DynamoDbResults {

    private DynamoDbResults() {
    }

    /** @return the items of a Query or Scan page ({@code CamelAwsDdbItems}); empty when none matched */
    @SuppressWarnings("unchecked")
    static List<Map<String, AttributeValue>> items(Exchange exchange) {
        return exchange.getMessage().getHeader(Ddb2Constants.ITEMS, List.class);
    }

    /**
     * @return the items a BatchGetItem read from {@code table} ({@code CamelAwsDdbBatchResponse}); empty when none
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, AttributeValue>> batchItems(Exchange exchange, String table) {
        Map<String, List<Map<String, AttributeValue>>> responses =
                exchange.getMessage().getHeader(Ddb2Constants.BATCH_RESPONSE, Map.class);
        return responses == null ? List.of() : responses.getOrDefault(table, List.of());
    }

    /**
     * @return the item a GetItem found, or the attributes an UpdateItem or PutItem returned
     *         ({@code CamelAwsDdbAttributes}); empty (or null) when there is no such item
     */
    @SuppressWarnings("unchecked")
    static Map<String, AttributeValue> attributes(Exchange exchange) {
        return exchange.getMessage().getHeader(Ddb2Constants.ATTRIBUTES, Map.class);
    }
}
