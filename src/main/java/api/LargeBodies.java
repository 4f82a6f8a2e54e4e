package api;

import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The requests whose body may be larger than docs/api.md's 64 KiB ({@code camel.server.max-body-size}): the
 * registrar's files of registration windows and of completed courses, up to 8 MiB. Their bodies are read by a body
 * handler of their own, ahead of the one Camel gives every route (a Vert.x body handler does nothing when one already
 * read the body), so every other path keeps the 64 KiB limit and a larger body there is never read into memory.
 */
public final class LargeBodies {

    /** The server's limit for every other body (application.properties: camel.server.max-body-size). */
    static final long DEFAULT_LIMIT = 64 * 1024;
    /** POST path → its body limit in bytes. */
    private static final Map<String, Long> LIMITS = Map.of("/registrar/registration-windows", 8L * 1024 * 1024,
            "/registrar/completed-courses", 8L * 1024 * 1024);

    private LargeBodies() {
    }

    /** Reads the bodies of the paths above with their own limit; a larger one is 413 (HttpErrorPages). */
    public static void install(VertxPlatformHttpRouter router) {
        LIMITS.forEach((path, limit) -> router.post(path).order(Integer.MIN_VALUE + 2)
                .handler(BodyHandler.create(false).setBodyLimit(limit)));
    }

    /**
     * @param path a request's path
     * @return the most bytes a body on it may have
     */
    static long limitOf(String path) {
        return LIMITS.getOrDefault(path, DEFAULT_LIMIT);
    }

    /** @return the limit as people read it: "64 KiB", "8 MiB" */
    static String describe(long limit) {
        return limit >= 1024 * 1024 ? limit / (1024 * 1024) + " MiB" : limit / 1024 + " KiB";
    }
}
