package api;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import io.vertx.core.net.impl.ConnectionBase;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import problem.ProblemException;

/**
 * The Vert.x instance that platform-http finds in the registry and makes the API's HTTP server with. Camel builds
 * that server from fixed options, so what the API needs of it is set here, as the server is made:
 * <ul>
 *   <li>requests Vert.x cannot decode are answered by {@link HttpErrorPages#refuse} (problem answers, not empty
 *       bodies);</li>
 *   <li>the request line may be longer than the URL limit, so that a URL over 8 KiB reaches the router and is
 *       answered 414 in HTTP/1.1 ({@link HttpErrorPages#MAX_URL_LENGTH});</li>
 *   <li>a request with both {@code Content-Length} and {@code Transfer-Encoding} is refused instead of being read
 *       by one of the two lengths (RFC 9112, section 6.3): the bytes after the body by the one would otherwise be
 *       read as a next request, the request smuggling the RFC warns of.</li>
 * </ul>
 */
public final class ApiVertx extends VertxWrapper {

    /** Room for a URL just over the limit and the method and version around it; beyond this Netty refuses. */
    private static final int MAX_REQUEST_LINE = 64 * 1024;
    /** The pipeline name Vert.x gives its HTTP/1.x request decoder. */
    private static final String DECODER = "httpDecoder";

    private ApiVertx(VertxInternal delegate) {
        super(delegate);
    }

    /** A new Vert.x instance with these options; the caller closes it after Camel has stopped. */
    public static ApiVertx create(VertxOptions options) {
        return new ApiVertx((VertxInternal) Vertx.vertx(options));
    }

    /**
     * The router of the platform-http server listening on {@code port}, once Camel has started it.
     *
     * @param port the API's port ({@code HTTP_PORT})
     * @return the router the REST routes, the management server's paths and the HTTP layer's hooks share
     */
    public static VertxPlatformHttpRouter router(CamelContext camel, int port) {
        return VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }

    /** Camel's server, with the request-line limit, the problem answers and the strict decoder described above. */
    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        // Without h2c (HTTP/2 over cleartext, which the API does not offer), Vert.x makes the HTTP/1.x connection
        // as the client connects, so the strict decoder is in place before the first byte is read; with it, the
        // connection, and so the connection handler, would come only after the first request was decoded.
        HttpServerOptions api = new HttpServerOptions(options).setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setHttp2ClearTextEnabled(false);
        return super.createHttpServer(api).invalidRequestHandler(HttpErrorPages::refuse)
                .connectionHandler(connection -> strictDecoder(connection, api));
    }

    /** Puts the strict decoder in the place of Vert.x's, on a new HTTP/1.x connection (HTTP/2 has none). */
    private static void strictDecoder(HttpConnection connection, HttpServerOptions options) {
        ChannelPipeline pipeline = ((ConnectionBase) connection).channel().pipeline();
        if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder decoder && !(decoder instanceof StrictDecoder)) {
            pipeline.replace(DECODER, DECODER, new StrictDecoder(options));
        }
    }

    /** Vert.x's decoder, except that Content-Length with Transfer-Encoding makes the request invalid. */
    private static final class StrictDecoder extends VertxHttpRequestDecoder {

        StrictDecoder(HttpServerOptions options) {
            super(options);
        }

        /**
         * Asked of every request as soon as its header fields are read, before Netty picks one of the two lengths
         * (for chunked it drops the Content-Length and reads on). Throwing here makes Netty answer the request as
         * invalid and discard every byte after it, so nothing smuggled in the body is ever read as a request.
         */
        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            if (message.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                    && message.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                throw ProblemException.invalid("a request may not carry both Content-Length and Transfer-Encoding");
            }
            return super.isContentAlwaysEmpty(message);
        }
    }
}
