package routes;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * What every API route shares, declared once: the caller is authenticated against the path's role before the
 * flow runs, and any failure becomes an RFC 9457 problem answer. It has no id, so it applies to every route
 * that does not name another configuration (the REST routes and the flows they call).
 */
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration()
                .interceptFrom("rest:*").process("authenticate")
                .end()
                .onException(Exception.class).handled(true).process("problemResponse");
    }
}
