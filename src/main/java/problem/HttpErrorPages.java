package problem;

import app.Json;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Problem answers for what Vert.x refuses before any route runs (a body over the size limit) and for paths no
 * route serves. Without these Vert.x would answer in plain text or HTML.
 */
public final class HttpErrorPages {

    private HttpErrorPages() {
    }

    public static void install(CamelContext camel, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> answer(ctx, ctx.statusCode() == 413
                ? Problem.of(413, "payload-too-large", "the request body is larger than 64 KiB")
                : Problem.of(500, "internal-error", "the request could not be completed")));
        router.route().last().handler(ctx -> answer(ctx, Problem.of(404, "not-found", "no such resource")));
    }

    private static void answer(RoutingContext ctx, Problem problem) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.write(problem));
    }
}
