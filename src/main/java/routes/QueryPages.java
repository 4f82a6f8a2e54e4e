package routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The pages of a DynamoDB {@code Query} sent through an {@code aws2-ddb:} endpoint: a page stops at 1 MB, and the
 * component returns one page and its {@code LastEvaluatedKey} (DynamoDB developer guide, "Paginating table query
 * results"). A route starts with {@link #start()}, loops while {@link #more()}, and after each page
 * {@link #collect()}s it; the rows are then the exchange property {@link #ROWS}.
 */
final class QueryPages {

    /** The exchange property holding the rows of the pages read so far, a {@code List<Map<String, AttributeValue>>}. */
    static final String ROWS = "queryRows";
    private static final String MORE = "queryHasMorePages";

    private QueryPages() {
    }

    /** @return a processor that empties the rows and asks for the first page (no start key) */
    static Processor start() {
        return exchange -> {
            exchange.setProperty(ROWS, new ArrayList<Map<String, AttributeValue>>());
            exchange.setProperty(MORE, true);
            exchange.getMessage().removeHeader(Ddb2Constants.START_KEY);
        };
    }

    /** @return whether another page is to be read */
    static Predicate more() {
        return exchange -> exchange.getProperty(MORE, false, Boolean.class);
    }

    /** @return a processor that adds the page's rows and starts the next page where this one stopped */
    @SuppressWarnings("unchecked")
    static Processor collect() {
        return exchange -> {
            List<Map<String, AttributeValue>> page = exchange.getMessage().getHeader(Ddb2Constants.ITEMS, List.class);
            exchange.getProperty(ROWS, List.class).addAll(page);
            Object next = exchange.getMessage().getHeader(Ddb2Constants.LAST_EVALUATED_KEY);
            exchange.getMessage().setHeader(Ddb2Constants.START_KEY, next);
            exchange.setProperty(MORE, next != null);
        };
    }
}
