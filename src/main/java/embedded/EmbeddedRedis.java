package embedded;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server (6.2, the binary shipped inside embedded-redis) run as a child process, bound to 127.0.0.1.
 * Given a directory, it keeps its data there in an append-only file (fsync every second, and at its stop), so a
 * restart finds it again; without one, persistence is off and its data lives exactly as long as the process.
 *
 * <p>The child runs in a session of its own ({@code setsid}, when the system has it): Ctrl-C in a terminal
 * signals the whole foreground process group, and Redis must outlive the routes that still use it while the
 * service stops; {@link #close()} stops it, last.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final int ATTEMPTS = 3;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts redis-server on a free loopback port.
     *
     * @param dataDirectory where its append-only file lives (made when missing), or null to keep nothing
     * @throws IOException when it does not start in {@value #ATTEMPTS} attempts (the last failure)
     */
    public static EmbeddedRedis start(Path dataDirectory) throws IOException {
        if (dataDirectory != null) {
            Files.createDirectories(dataDirectory);
        }
        // redis-server cannot pick its own port (port 0 turns TCP off), so pick a free one and try again when
        // another process took it in between.
        IOException failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = Loopback.freePort();
            RedisServerBuilder builder = RedisServer.newRedisServer().bind(Loopback.HOST).port(port)
                    .setting("save \"\"");
            if (dataDirectory == null) {
                builder.setting("appendonly no");
            } else {
                builder.setting("appendonly yes").setting("appendfsync everysec")
                        .setting("dir \"" + dataDirectory.toAbsolutePath() + "\"");
            }
            List<String> command = new ArrayList<>(builder.buildCommandArgs());
            if (Files.isExecutable(SETSID)) {
                command.add(0, SETSID.toString());
            }
            RedisServer server = new RedisServer(port, command, false);
            try {
                server.start();
            } catch (IOException e) {
                failure = e;
                continue;
            }
            EmbeddedRedis redis = new EmbeddedRedis(server, port);
            LOG.info("Embedded Redis (redis-server 6.2, {}) listening on {}", dataDirectory == null ? "in memory"
                    : "append-only file in " + dataDirectory.toAbsolutePath(), redis.endpoint());
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

    /**
     * Starts the server again on its port after {@link #close()}: an outage and its end, for tests (empty again
     * when it runs in memory).
     */
    public void startAgain() throws IOException {
        server.start();
    }

    /** Stops redis-server (SIGTERM: it writes out its append-only file first) and waits for it to exit. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new IllegalStateException("embedded Redis did not stop", e);
        }
    }
}
