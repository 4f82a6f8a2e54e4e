package routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.EndpointProducerBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.model.ProcessorDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The pages of one DynamoDB Query as a route reads them with an aws2-ddb step in a loop (a page stops at 1 MB; the
 * next starts at the last one's {@code LastEvaluatedKey}): the body while the loop runs.
 */
final class QueryPages {

    private final List<Map<String, AttributeValue>> items = new ArrayList<>();
    private Map<String, AttributeValue> startKey;
    private boolean read;

    /** @return whether another page is to be read: none read yet, or the last one had more after it */
    boolean more() {
        return !read || startKey != null;
    }

    /** @return where the next page starts ({@code ExclusiveStartKey}), or null for the first */
    Map<String, AttributeValue> startKey() {
        return startKey;
    }

    /** Adds the page the step just read ({@code CamelAwsDdbItems}, {@code CamelAwsDdbLastEvaluatedKey}). */
    @SuppressWarnings("unchecked")
    void add(Exchange exchange) {
        read = true;
        items.addAll(DynamoDbResults.items(exchange));
        startKey = exchange.getMessage().getHeader(Ddb2Constants.LAST_EVALUATED_KEY, Map.class);
    }

    /** @return every item of every page read, in the query's order */
    List<Map<String, AttributeValue>> items() {
        return items;
    }

    static QueryPages of(Exchange exchange) {
        return exchange.getMessage().getBody(QueryPages.class);
    }

    /**
     * Appends to a route the reading of every page of the Query its headers describe ({@code CamelAwsDdbKeyConditions}
     * and the like, set before): the step {@code query} in a loop, each page starting where the last one stopped.
     *
     * @param route the route so far
     * @param query the aws2-ddb endpoint, operation Query
     * @param step the step's id (JMX, Hawtio)
     * @return the route, its body the {@link QueryPages} read
     */
    static ProcessorDefinition<?> readEveryPage(ProcessorDefinition<?> route, EndpointProducerBuilder query,
                                                String step) {
        return route
                .setBody(e -> new QueryPages())
                .loopDoWhile(e -> of(e).more())
                    .setHeader(Ddb2Constants.START_KEY).exchange(e -> of(e).startKey())
                    .to(query).id(step)
                    .process(e -> of(e).add(e))
                .end();
    }
}
