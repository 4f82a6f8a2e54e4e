package api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * {@code GET /docs}: Swagger UI on {@code /openapi.json}, its files served from the {@code org.webjars:swagger-ui} jar
 * on the classpath (no CDN), by Vert.x's {@link StaticHandler} on the router of the platform-http server (content
 * types, {@code Last-Modified} and {@code Cache-Control} included). The webjar's {@code swagger-initializer.js}, which
 * opens the Petstore example, is replaced by this service's ({@code swagger-ui/swagger-initializer.js}).
 */
public final class ApiDocsPage {

    /** The page; {@code /docs} redirects here, as the webjar's index.html names its files relative to it. */
    public static final String PATH = "/docs/";

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String INITIALIZER = "swagger-ui/swagger-initializer.js";

    private ApiDocsPage() {
    }

    /**
     * Installs the page on the router of the platform-http server ({@link ApiVertx#router}).
     *
     * @throws IllegalStateException when the swagger-ui webjar or the initializer is not on the classpath
     */
    public static void install(VertxPlatformHttpRouter router) {
        String initializer = resource(INITIALIZER);
        // Vert.x matches "/docs" with or without its trailing slash
        router.get("/docs").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, PATH).end();
            }
        });
        router.get(PATH + "swagger-initializer.js").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8").end(initializer));
        router.get(PATH + "*").handler(StaticHandler.create(WEBJAR + webjarVersion()));
    }

    /** The webjar's version, the folder its files are in, from the Maven metadata it carries. */
    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = stream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = stream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = ApiDocsPage.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath (the org.webjars:swagger-ui jar)");
        }
        return in;
    }
}
