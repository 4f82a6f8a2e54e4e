package api;

import auth.Authenticate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The access check of the management server's paths ({@code /observe/*}). Those are Vert.x routes that Camel's
 * management server adds, not Camel routes, so the API route configuration's {@code authenticate} never sees
 * them; this applies the same {@link auth.AccessRules} before them: Jolokia needs a Registrar's bearer token,
 * health and metrics none. A refusal is a {@link problem.ProblemException}, answered as every other problem of
 * the HTTP layer ({@link HttpErrorPages}): 401 with {@code WWW-Authenticate: Bearer}, or 403.
 */
public final class ManagementAccess {

    private ManagementAccess() {
    }

    /**
     * Installs the check on the router of the platform-http server ({@link ApiVertx#router}), after
     * {@link HttpErrorPages#install}'s first two routes and before the management server's own.
     *
     * @param authenticate the API's token check
     */
    public static void install(VertxPlatformHttpRouter router, Authenticate authenticate) {
        // after the Date stamp and the HEAD reroute (Integer.MIN_VALUE and the next), before everything else
        // the path as the router matches it (dot segments removed, %6A read as j, // as /): checking the raw path
        // would let /observe//jolokia through as public and still reach Jolokia
        router.route("/observe/*").order(Integer.MIN_VALUE + 2).handler(ctx -> {
            authenticate.caller(ctx.normalizedPath(), ctx.request().getHeader("Authorization"));
            ctx.next();
        });
    }
}
