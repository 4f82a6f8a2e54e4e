package routes;

import auth.Authenticate;
import auth.Caller;
import org.apache.camel.Exchange;

/**
 * What a flow's steps read from its exchange: the caller the API route configuration authenticated, and the ids
 * {@link api.Http#pathId} checked.
 */
final class Requests {

    private Requests() {
    }

    /** @return the authenticated caller ({@link Authenticate#CALLER}); set on every API route */
    static Caller caller(Exchange exchange) {
        return exchange.getProperty(Authenticate.CALLER, Caller.class);
    }

    /** @return the id in header {@code name}, as {@link api.Http#pathId} left it (a positive 64-bit integer) */
    static long id(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, Long.class);
    }

    /** @return the class id of the path ({@code {classId}}) */
    static long classId(Exchange exchange) {
        return id(exchange, "classId");
    }
}
