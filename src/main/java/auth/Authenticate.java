package auth;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import problem.ProblemException;

/**
 * Checks the bearer token against the role the request's path needs ({@link AccessRules}) and records the
 * caller on the exchange as {@link #CALLER}. Runs before every REST route, declared once in the API route
 * configuration.
 */
public final class Authenticate implements Processor {

    /** Exchange property holding the {@link Caller}. */
    public static final String CALLER = "caller";

    private final TokenService tokens;

    public Authenticate(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        Caller caller = caller(exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class),
                exchange.getMessage().getHeader("Authorization", String.class));
        if (caller != null) {
            exchange.setProperty(CALLER, caller);
        }
    }

    /**
     * Checks a request against the role its path needs ({@link AccessRules}); also used for the paths that are
     * not Camel routes ({@code api/ManagementAccess}).
     *
     * @param path the request's path
     * @param authorization the request's {@code Authorization} header, or null
     * @return the caller the bearer token names, or null for a public path
     * @throws ProblemException 401 without a valid bearer token, 403 when the caller lacks the role
     */
    public Caller caller(String path, String authorization) {
        Role required = AccessRules.requiredRole(path).orElse(null);
        if (required == null) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("this path needs 'Authorization: Bearer <token>'");
        }
        Caller caller = tokens.verify(authorization.substring(7).trim());
        if (!caller.has(required)) {
            throw ProblemException.forbidden("this path needs the " + required + " role");
        }
        return caller;
    }
}
