package api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import json.Json;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import problem.Problem;
import problem.ProblemException;

/**
 * The one place where what the HTTP layer refuses before any route runs becomes an RFC 9457 problem answer, and
 * where what every answer shares is added (RFC 9110): {@code Date} on every answer (section 6.6.1), {@code HEAD}
 * for every {@code GET} resource (section 9.3.2), {@code 405} with {@code Allow} for a method a path does not
 * support (section 15.5.6), {@code 414} past 8 KiB of URL, and problem answers for requests Vert.x refuses: no
 * {@code Host}, a body over the size limit, headers too large, a request that is not HTTP/1.1 at all, and one
 * carrying both {@code Content-Length} and {@code Transfer-Encoding} (RFC 9112, section 6.3), whose connection is
 * closed. Without this Vert.x would answer in plain text, with an empty body, or with a 500.
 */
public final class HttpErrorPages {

    /** The longest request-target answered; longer ones get 414 (RFC 9112, section 3: at least 8000 octets). */
    public static final int MAX_URL_LENGTH = 8 * 1024;

    private static final Problem URI_TOO_LONG = Problem.of(414, "uri-too-long",
            "the URL is longer than " + MAX_URL_LENGTH + " bytes");
    private static final Problem STOPPING = Problem.of(503, "unavailable", "the service is stopping; try again");
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorPages.class);

    private HttpErrorPages() {
    }

    /**
     * Installs the pages on the router of the platform-http server ({@link ApiVertx#router}).
     *
     * @param allowedMethods the {@code Allow} value of a path, empty when no route serves the path
     * @param stopping true once the service stops: from then on a new request is answered {@code 503 unavailable}
     *        with {@code Retry-After} and its connection closed (a load balancer tries another instance), while
     *        the requests already in the routes finish
     */
    public static void install(VertxPlatformHttpRouter router, Function<String, Optional<String>> allowedMethods,
            BooleanSupplier stopping) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> screen(ctx, stopping))
                .failureHandler(ctx -> answer(ctx.response(), failure(ctx)));
        // a HEAD is the GET without its body, which Vert.x leaves out by itself for a HEAD request
        router.route().order(Integer.MIN_VALUE + 1).method(HttpMethod.HEAD)
                .handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
        router.route().last().handler(ctx -> allowedMethods.apply(ctx.request().path()).ifPresentOrElse(
                allow -> answer(ctx.response().putHeader("Allow", allow), Problem.of(405, "method-not-allowed",
                        ctx.request().method() + " is not supported here; allowed: " + allow)),
                () -> answer(ctx.response(), Problem.of(404, "not-found", "no such resource"))));
    }

    /**
     * The answer to a request Vert.x could not decode ({@code HttpServer.invalidRequestHandler}): 414 for a request
     * line too long, 431 for headers too large, 400 otherwise; the connection is closed after it, as the bytes
     * that follow cannot be trusted to start a request.
     */
    public static void refuse(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem = cause instanceof TooLongHttpLineException
                ? URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException
                ? Problem.of(431, "headers-too-large", "the request's header fields are too large")
                : cause instanceof ProblemException refused
                ? problemOf(refused)
                : Problem.of(400, "invalid-request", "the request is not valid HTTP/1.1");
        answer(request.response().putHeader("Connection", "close"), problem);
    }

    /**
     * Stamps every answer with its Date and, before any route runs, refuses requests while the service stops and
     * URLs over {@link #MAX_URL_LENGTH}.
     */
    private static void screen(RoutingContext ctx, BooleanSupplier stopping) {
        ctx.addHeadersEndHandler(end -> ctx.response().putHeader("Date", now()));
        if (stopping.getAsBoolean()) {
            answer(ctx.response().putHeader("Retry-After", "5").putHeader("Connection", "close"), STOPPING);
            return;
        }
        if (ctx.request().uri().length() > MAX_URL_LENGTH) {
            answer(ctx.response(), URI_TOO_LONG);
            return;
        }
        ctx.next();
    }

    /**
     * What Vert.x-web failed a request with before Camel saw it: a {@link ProblemException} (its headers put on the
     * answer), no Host (400), a request-target that is not a path such as {@code OPTIONS *} (404 there, 400 here:
     * there is no resource to be missing), or an unexpected failure.
     */
    private static Problem failure(RoutingContext ctx) {
        if (ctx.failure() instanceof ProblemException refused) {
            // a refusal by a Vert.x handler of ours (ManagementAccess)
            refused.headers().forEach(ctx.response()::putHeader);
            return problemOf(refused);
        }
        int status = ctx.statusCode() == 404 && !ctx.request().uri().startsWith("/") ? 400 : ctx.statusCode();
        return switch (status) {
            case 400 -> Problem.of(400, "invalid-request", "the request is not valid HTTP/1.1 "
                    + "(RFC 9112: one Host header, a request-target that is a path)");
            case 413 -> Problem.of(413, "payload-too-large", "the request body is larger than "
                    + LargeBodies.describe(LargeBodies.limitOf(ctx.request().path())));
            default -> {
                LOG.error("{} {} failed before reaching a route (status {})", ctx.request().method(),
                        ctx.request().path(), ctx.statusCode(), ctx.failure());
                yield Problem.of(500, "internal-error", "the request could not be completed");
            }
        };
    }

    private static Problem problemOf(ProblemException refused) {
        return Problem.of(refused.status(), refused.code(), refused.getMessage());
    }

    private static void answer(HttpServerResponse response, Problem problem) {
        if (response.headWritten()) {
            return;
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Date", now()).end(Json.write(problem));
    }

    private static String now() {
        return Http.date(Instant.now());
    }
}
