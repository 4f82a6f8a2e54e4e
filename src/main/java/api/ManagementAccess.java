package api;

import auth.Authenticate;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The access check of Jolokia ({@code /observe/jolokia}): a Registrar's bearer token, by the same
 * {@link auth.AccessRules} as the API. Jolokia is a Vert.x route that Camel's management server adds, not a Camel
 * route, so the API route configuration's {@code authenticate} never sees it; the check is part of the Jolokia
 * handler itself, so it holds from the moment the management server mounts it (the port opens before Camel's
 * routes start, and a check added to the router afterwards left Jolokia answering without a token for about a
 * second at every start), and for every spelling of the path that reaches it ({@code /observe//jolokia},
 * {@code /observe/%6Aolokia}). A refusal is a {@link problem.ProblemException}, answered as every other problem of
 * the HTTP layer ({@link HttpErrorPages}): 401 with {@code WWW-Authenticate: Bearer}, or 403.
 */
public final class ManagementAccess extends ServiceSupport implements JolokiaPlatformHttpPlugin {

    private final JolokiaPlatformHttpPlugin jolokia;
    private final Authenticate authenticate;

    private ManagementAccess(JolokiaPlatformHttpPlugin jolokia, Authenticate authenticate) {
        this.jolokia = jolokia;
        this.authenticate = authenticate;
    }

    /**
     * @param jolokia the Jolokia plugin to guard (observe/Jolokia), not started
     * @param authenticate the API's token check
     * @return a plugin to bind as {@link JolokiaPlatformHttpPlugin#NAME}: Jolokia behind the token check, started
     *         and stopped with it
     */
    public static JolokiaPlatformHttpPlugin guard(JolokiaPlatformHttpPlugin jolokia, Authenticate authenticate) {
        return new ManagementAccess(jolokia, authenticate);
    }

    /** @return a Vert.x {@code Handler<RoutingContext>}: the token check, then Jolokia's own handler */
    @Override
    @SuppressWarnings("unchecked")
    public Object getHandler() {
        Handler<RoutingContext> handler = (Handler<RoutingContext>) jolokia.getHandler();
        return (Handler<RoutingContext>) ctx -> {
            // the path as the router matched it (dot segments removed, %6A read as j, // as /)
            authenticate.caller(ctx.normalizedPath(), ctx.request().getHeader("Authorization"));
            handler.handle(ctx);
        };
    }

    @Override
    public String getId() {
        return jolokia.getId();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        jolokia.setCamelContext(camelContext);
    }

    @Override
    public CamelContext getCamelContext() {
        return jolokia.getCamelContext();
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(jolokia);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(jolokia);
    }
}
