package bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The reference servers of issue 11, each answering {@code GET /student/waitlist/1} with the service's own Lua
 * script (lib.lua + waitlist-position.lua) for student 1000002, through a Jedis pool of 64 as the service's:
 * <ul>
 * <li>{@code vertx}: a Vert.x server whose worker threads (128, as the service's) make the call;</li>
 * <li>{@code vertx-rs256 JWKS_FILE}: the same, checking every request's bearer token (RS256, nimbus, no cache);</li>
 * <li>{@code camel Default|Extended}: a Camel REST DSL route on platform-http (Vert.x) calling a direct route whose
 * one processor makes the call, JMX statistics at that level; no token check, no Micrometer.</li>
 * </ul>
 * Usage, from the repository: {@code java -cp CP bench.References KIND PORT
 * REDIS_PORT [ARG]}. Answers 401 when the token is refused.
 */
public final class References {

    /** The keys the service passes (enrollment/ClassViews): the list, its Last-Modified and its seen flag. */
    private static final List<String> KEYS = List.of("enrollment-wl:1", "enrollment-wl-modified:1",
            "enrollment-wl-modified-seen:1");
    private static final String STUDENT = "1000002";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        JedisPool pool = new JedisPool(config, "127.0.0.1", Integer.parseInt(args[2]));
        String script = Files.readString(Path.of("src/main/resources/lua/lib.lua")) + "\n"
                + Files.readString(Path.of("src/main/resources/lua/waitlist-position.lua"));
        String sha;
        try (Jedis jedis = pool.getResource()) {
            sha = jedis.scriptLoad(script);
        }
        switch (args[0]) {
            case "vertx" -> vertx(port, pool, sha, null);
            case "vertx-rs256" -> vertx(port, pool, sha, processor(Path.of(args[3])));
            case "camel" -> camel(port, pool, sha, args[3]);
            default -> throw new IllegalArgumentException("unknown reference " + args[0]);
        }
    }

    /** The answer's JSON, as the service's (class, position, length). */
    @SuppressWarnings("unchecked")
    private static String position(JedisPool pool, String sha) {
        try (Jedis jedis = pool.getResource()) {
            List<Long> answer = (List<Long>) jedis.evalsha(sha, KEYS,
                    List.of(STUDENT, Long.toString(System.currentTimeMillis())));
            return "{\"classId\":1,\"position\":" + answer.get(0) + ",\"waiting\":" + answer.get(1) + "}";
        }
    }

    private static void vertx(int port, JedisPool pool, String sha, DefaultJWTProcessor<SecurityContext> jwt)
            throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(128));
        vertx.createHttpServer().requestHandler(request -> vertx.<String>executeBlocking(() -> {
            if (jwt != null) {
                jwt.process(request.getHeader("Authorization").substring(7), null);
            }
            return position(pool, sha);
        }).onComplete(done -> {
            if (done.succeeded()) {
                request.response().putHeader("Content-Type", "application/json").end(done.result());
            } else {
                request.response().setStatusCode(401).end();
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    private static DefaultJWTProcessor<SecurityContext> processor(Path jwks) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(Files.readString(jwks)))));
        return processor;
    }

    private static void camel(int port, JedisPool pool, String sha, String statisticsLevel) throws Exception {
        Main main = new Main();
        // neither the service's application.properties nor its YAML routes, which the same jar holds
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addInitialProperty("camel.main.routes-collector-enabled", "false");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        main.addInitialProperty("camel.rest.component", "platform-http");
        main.addInitialProperty("camel.rest.inline-routes", "false");
        main.addInitialProperty("camel.main.jmx-management-statistics-level", statisticsLevel);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/student").get("/waitlist/{classId}").id("rest-position").to("direct:position");
                from("direct:position").routeId("position").process(exchange -> {
                    exchange.getMessage().setHeader("Content-Type", "application/json");
                    // a ByteBuffer, as the service answers: written at once, with a Content-Length
                    exchange.getMessage().setBody(ByteBuffer.wrap(position(pool, sha).getBytes(StandardCharsets.UTF_8)));
                });
            }
        });
        main.run();
    }
}
