import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The reference of the waiting-list read through Camel: a REST DSL route on platform-http (Vert.x) calling a
 * direct route whose one processor runs the service's own Lua script through a Jedis pool; no token check, no
 * metrics. Usage: {@code java -cp target/enrollment-service.jar bench/limit/CamelRedis.java PORT REDIS_PORT
 * Default|Extended} (the JMX statistics level).
 */
public final class CamelRedis {

    public static void main(String[] args) throws Exception {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        JedisPool pool = new JedisPool(config, "127.0.0.1", Integer.parseInt(args[1]));
        String script = Files.readString(Path.of("src/main/resources/lua/lib.lua")) + "\n"
                + Files.readString(Path.of("src/main/resources/lua/waitlist-position.lua"));
        String sha;
        try (Jedis jedis = pool.getResource()) {
            sha = jedis.scriptLoad(script);
        }
        Main main = new Main();
        // not the service's application.properties, which the same jar holds
        main.setDefaultPropertyPlaceholderLocation("false");
        // nor the service's YAML routes
        main.addInitialProperty("camel.main.routes-collector-enabled", "false");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", args[0]);
        main.addInitialProperty("camel.rest.component", "platform-http");
        main.addInitialProperty("camel.rest.inline-routes", "false");
        main.addInitialProperty("camel.main.jmx-management-statistics-level", args[2]);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/student").get("/waitlist/{classId}").id("rest-position").to("direct:position");
                from("direct:position").routeId("position").process(exchange -> {
                    try (Jedis jedis = pool.getResource()) {
                        @SuppressWarnings("unchecked")
                        List<Long> answer = (List<Long>) jedis.evalsha(sha, List.of("enrollment-wl:1",
                                "enrollment-wl-modified:1"), List.of("1000002"));
                        exchange.getMessage().setHeader("Content-Type", "application/json");
                        exchange.getMessage().setBody(("{\"classId\":1,\"position\":" + answer.get(0) + ",\"waiting\":"
                                + answer.get(1) + "}").getBytes());
                    }
                });
            }
        });
        main.run();
    }
}
