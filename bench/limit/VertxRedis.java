import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The reference of the waiting-list read without Camel: a Vert.x server whose worker threads run the service's
 * own Lua script (lib.lua + waitlist-position.lua) through a Jedis pool, and, when given the public key, check
 * the bearer token's RS256 signature on every request as the service's TokenService does (no cache).
 * Usage: {@code java -cp target/enrollment-service.jar bench/limit/VertxRedis.java PORT REDIS_PORT [JWK_JSON_FILE]}.
 */
public final class VertxRedis {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        JedisPool pool = new JedisPool(config, "127.0.0.1", Integer.parseInt(args[1]));
        String script = Files.readString(Path.of("src/main/resources/lua/lib.lua")) + "\n"
                + Files.readString(Path.of("src/main/resources/lua/waitlist-position.lua"));
        String sha;
        try (Jedis jedis = pool.getResource()) {
            sha = jedis.scriptLoad(script);
        }
        DefaultJWTProcessor<SecurityContext> jwt = args.length > 2 ? processor(Path.of(args[2])) : null;
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(128));
        vertx.createHttpServer().requestHandler(request -> vertx.<String>executeBlocking(() -> {
            if (jwt != null) {
                JWTClaimsSet claims = jwt.process(request.getHeader("Authorization").substring(7), null);
                claims.getSubject();
            }
            try (Jedis jedis = pool.getResource()) {
                @SuppressWarnings("unchecked")
                List<Long> answer = (List<Long>) jedis.evalsha(sha, List.of("enrollment-wl:1", "enrollment-wl-modified:1"),
                        List.of("1000002"));
                return "{\"classId\":1,\"position\":" + answer.get(0) + ",\"waiting\":" + answer.get(1) + "}";
            }
        }).onComplete(done -> {
            if (done.succeeded()) {
                request.response().putHeader("Content-Type", "application/json").end(done.result());
            } else {
                request.response().setStatusCode(401).end();
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        System.out.println("listening on " + port);
    }

    private static DefaultJWTProcessor<SecurityContext> processor(Path jwk) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(Files.readString(jwk)))));
        return processor;
    }
}
