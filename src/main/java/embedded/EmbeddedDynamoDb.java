package embedded;

import com.amazonaws.services.dynamodbv2.local.server.AbstractLocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB Local inside this JVM, listening on 127.0.0.1 only, its tables in memory or in a file of a given
 * directory (its {@code -dbPath}, so a restart finds them again).
 *
 * <p>DynamoDB Local's launcher ({@code ServerRunner -inMemory -port N}) has no bind-address flag: its
 * {@code DynamoDBProxyServer} builds {@code new org.eclipse.jetty.server.Server(port)} into a private field, which
 * listens on every interface. So this class builds the same request handler ServerRunner builds and serves it from
 * its own Jetty server, whose connector binds 127.0.0.1 on a port the system picks (no race for a free port).
 * Telemetry is off: only ServerRunner and {@code DynamoDBProxyServer.start()} configure and send it, and neither
 * runs here.
 *
 * <p>sqlite4java's native library needs no setup: DynamoDB Local (since 1.24) carries it inside its own jar and
 * copies it to a temporary file when the first database opens, from target/classes and from the shaded jar alike
 * (so {@code sqlite4java.library.path} is not needed).
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDynamoDb.class);

    // sqlite4java logs through java.util.logging, and from the shaded jar (whose merged manifest lacks its
    // version) it warns "unknown jar version" at start-up; its real failures are SEVERE. Kept in a field
    // because java.util.logging holds loggers weakly and would forget the level.
    private static final java.util.logging.Logger SQLITE_LOG =
            java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    static {
        SQLITE_LOG.setLevel(Level.SEVERE);
    }

    private final Server server;
    private final AbstractLocalDynamoDBServerHandler handler;
    private final int port;

    private EmbeddedDynamoDb(Server server, AbstractLocalDynamoDBServerHandler handler, int port) {
        this.server = server;
        this.handler = handler;
        this.port = port;
    }

    /**
     * Starts DynamoDB Local on a loopback port the system picks.
     *
     * @param dataDirectory where its database file ({@code shared-local-instance.db}) lives, made when missing;
     *        null keeps the tables in memory
     * @throws Exception when the directory cannot be made or the server does not start
     */
    public static EmbeddedDynamoDb start(Path dataDirectory) throws Exception {
        // One shared database (-sharedDb) whatever the caller's access key and region, so the service and a test
        // client with other dummy credentials see the same tables. No CORS: no browser page may call it.
        AbstractLocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(new LocalDynamoDBRequestHandler(
                0, dataDirectory == null, dataDirectory == null ? null : directory(dataDirectory), true, false), null);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("dynamodb-local");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(Loopback.HOST);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            try {
                stop(server, handler);
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        EmbeddedDynamoDb dynamoDb = new EmbeddedDynamoDb(server, handler, connector.getLocalPort());
        LOG.info("Embedded DynamoDB Local ({}) listening on {}", dataDirectory == null ? "in memory"
                : "tables in " + dataDirectory.toAbsolutePath(), dynamoDb.endpoint());
        return dynamoDb;
    }

    private static String directory(Path dataDirectory) throws IOException {
        return Files.createDirectories(dataDirectory).toAbsolutePath().toString();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://" + Loopback.HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            stop(server, handler);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    /** Stops the server and then the handler, whose database threads would otherwise keep the JVM alive. */
    private static void stop(Server server, AbstractLocalDynamoDBServerHandler handler) throws Exception {
        try {
            server.stop();
        } finally {
            handler.close();
        }
    }
}
