package routes;

import api.ProblemResponse;
import auth.Authenticate;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * What every API route shares, declared once: the caller is authenticated against the path's role before the
 * flow runs, and any failure becomes an RFC 9457 problem answer. It has no id, so it applies to every route
 * that does not name another configuration (the REST routes, with the flows Camel inlined into them).
 */
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    @BeanInject
    Authenticate authenticate;
    @BeanInject
    ProblemResponse problemResponse;

    @Override
    public void configuration() {
        RouteConfigurationDefinition api = routeConfiguration();
        api.onException(Exception.class).handled(true).process(problemResponse);
        // A 401/403 is answered here: in a REST route with its flow inlined (camel.rest.inline-routes) Camel puts
        // this interceptor before the flow's onException, which therefore does not cover it.
        api.interceptFrom("rest:*")
                .doTry()
                    .process(authenticate)
                .doCatch(Exception.class)
                    .process(problemResponse)
                    .stop()
                .end();
    }
}
