package embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.port.AmqpPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AMQP 0-9-1 broker (Apache Qpid Broker-J) inside this JVM: one virtual host that connections to "/" land on,
 * user guest/guest over PLAIN, one AMQP port on 127.0.0.1. Its exchanges, queues and persistent messages live in
 * memory, or in a Derby database in a given directory, so that messages queued when the service stops are there
 * at the next start (Broker-J's persistent stores are served here at 9.2.0, not at 10.x).
 *
 * <p>Qpid logs through slf4j only (its logback plugin is not on the classpath), so its lines go to the service's
 * log4j2 configuration; its operational log ({@code qpid.message.*}: a line per connection, channel and queue) is
 * off unless {@code -Dqpid.broker_status_updates=true}.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String STATUS_UPDATES = "qpid.broker_status_updates";

    // Port 0: the system picks a free port. secureOnlyMechanisms []: PLAIN is refused on a plain-TCP port otherwise.
    // defaultAlias: a connection to the virtual host "/" (amqp-client's default) or "" lands on the default node.
    private static final String INITIAL_CONFIG = """
            {
              "name": "embedded",
              "modelVersion": "9.1",
              "authenticationproviders": [{
                "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                "users": [{"name": "guest", "type": "managed", "password": "guest"}]
              }],
              "ports": [{
                "name": "AMQP", "port": 0, "bindingAddress": "%s", "protocols": ["AMQP_0_9_1"],
                "authenticationProvider": "plain",
                "virtualhostaliases": [{"name": "defaultAlias", "type": "defaultAlias"}]
              }],
              "virtualhostnodes": [%s]
            }
            """;
    private static final String IN_MEMORY_NODE = """
            {"name": "default", "type": "Memory", "defaultVirtualHostNode": "true",
             "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\"}"}""";
    // A Derby node keeps the virtual host's configuration (exchanges, queues, bindings) and its messages in one
    // database; the virtual host uses the node's store (ProvidedStore).
    private static final String DERBY_NODE = """
            {"name": "default", "type": "DERBY", "defaultVirtualHostNode": "true", "storePath": "%s",
             "virtualHostInitialConfiguration": "{\\"type\\": \\"ProvidedStore\\"}"}""";

    private final SystemLauncher launcher;
    private final int port;

    private EmbeddedBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /**
     * Starts the broker on a loopback port the system picks.
     *
     * @param dataDirectory where its Derby store lives (made when missing), or null to keep everything in memory
     * @throws Exception when the broker does not start
     */
    public static EmbeddedBroker start(Path dataDirectory) throws Exception {
        if (System.getProperty(STATUS_UPDATES) == null) {
            System.setProperty(STATUS_UPDATES, "false");
        }
        AtomicReference<SystemConfig<?>> systemConfig = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                systemConfig.set(config);
            }
        });
        // The memory system config reads its initial configuration once, at start-up.
        Path config = Files.createTempFile("qpid-initial-config", ".json");
        try {
            String node = dataDirectory == null ? IN_MEMORY_NODE : DERBY_NODE.formatted(
                    json(Files.createDirectories(dataDirectory).toAbsolutePath().resolve("derby").toString()));
            Files.writeString(config, INITIAL_CONFIG.formatted(Loopback.HOST, node));
            launcher.startup(Map.of(
                    "type", "Memory",
                    "initialConfigurationLocation", config.toUri().toString(),
                    "startupLoggedToSystemOut", false));
        } finally {
            Files.deleteIfExists(config);
        }
        int port;
        try {
            port = boundAmqpPort((Broker<?>) systemConfig.get().getContainer());
        } catch (RuntimeException e) {
            launcher.shutdown();
            throw e;
        }
        LOG.info("Embedded AMQP 0-9-1 broker (Qpid Broker-J, {}) listening on amqp://{}:{}",
                dataDirectory == null ? "in memory" : "Derby store in " + dataDirectory.toAbsolutePath(),
                Loopback.HOST, port);
        return new EmbeddedBroker(launcher, port);
    }

    /** {@code amqp://guest:guest@127.0.0.1:PORT}: no path, so clients use the virtual host "/". */
    public URI endpoint() {
        return URI.create("amqp://guest:guest@" + Loopback.HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        launcher.shutdown();
    }

    /** Text as the inside of a JSON string. */
    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The port the system picked for the AMQP port configured with port 0. */
    private static int boundAmqpPort(Broker<?> broker) {
        return broker.getPorts().stream()
                .filter(AmqpPort.class::isInstance)
                .mapToInt(port -> ((AmqpPort<?>) port).getBoundPort())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the broker has no AMQP port"));
    }
}
