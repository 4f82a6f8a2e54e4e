package embedded;

import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, the binary shipped inside embedded-redis) run as a child process, bound to 127.0.0.1,
 * with persistence off (no RDB snapshot, no append-only file): its data lives exactly as long as the process.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final int ATTEMPTS = 3;

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedis start() throws IOException {
        // redis-server cannot pick its own port (port 0 turns TCP off), so pick a free one and try again when
        // another process took it in between.
        IOException failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = Loopback.freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .bind(Loopback.HOST)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            try {
                server.start();
            } catch (IOException e) {
                failure = e;
                continue;
            }
            EmbeddedRedis redis = new EmbeddedRedis(server, port);
            LOG.info("Embedded Redis (redis-server 6.2, in memory) listening on {}", redis.endpoint());
            return redis;
        }
        throw failure;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("redis://" + Loopback.HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    /** Starts the server again on its port after {@link #close()}, empty: an outage and its end, for tests. */
    public void startAgain() throws IOException {
        server.start();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new IllegalStateException("embedded Redis did not stop", e);
        }
    }
}
