package routes;

import org.apache.camel.Expression;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.model.RouteDefinition;

/**
 * The shape every {@code aws2-ddb:} GetItem route shares: the key built by a bean, the read as a step of its
 * own (its id is what JMX and Hawtio show), the row read by a bean, and the {@code CamelAwsDdb*} headers dropped so
 * that they never steer a later store call.
 */
final class StoreReads {

    /** The row a GetItem returned, as a bean parameter (empty when there is no such row). */
    static final String ROW = "${header." + Ddb2Constants.ATTRIBUTES + "}";

    private StoreReads() {
    }

    /**
     * @param route the route, from its {@code from(...)} and id
     * @param key the row's key, a {@code Map<String, AttributeValue>}
     * @param endpoint the {@code aws2-ddb:} endpoint, with {@code operation=GetItem}
     * @param stepId the id of the step that sends to it
     * @param bean the bean that reads the row
     * @param method its method call, with {@link #ROW} as the row
     * @return the route, the row read
     */
    static RouteDefinition getItem(RouteDefinition route, Expression key, String endpoint, String stepId, String bean,
            String method) {
        return route.setHeader(Ddb2Constants.KEY, key)
                .to(endpoint).id(stepId)
                .bean(bean, method)
                .removeHeaders("CamelAwsDdb*");
    }
}
