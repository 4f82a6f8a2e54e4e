package support;

import embedded.EmbeddedDynamoDb;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The service's own embedded DynamoDB Local ({@link EmbeddedDynamoDb}: in memory, bound to 127.0.0.1) as a process
 * of its own, so several service instances, each a process that a test may kill, share one database.
 *
 * <p>{@link #main} is the process: it prints {@code DynamoDB Local listening on http://127.0.0.1:PORT} and serves
 * until its standard input closes (which {@link ServerProcess} does first when stopping it).
 */
public final class DynamoDbLocalServer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DynamoDB Local listening on (http://\\S+)");

    private final ServerProcess process;
    private final String endpoint;

    private DynamoDbLocalServer(ServerProcess process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts the process with {@code java -cp classpath} and waits until it listens.
     *
     * @param classpath a class path holding this class, the service's classes and DynamoDB Local (e.g. the
     *        packaged service jar and the test classes)
     * @throws IllegalStateException when it exits or does not listen within 60 s (with the end of its log)
     */
    public static DynamoDbLocalServer start(String classpath) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dynamodb-local");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerProcess process = ServerProcess.start("dynamodb-local",
                List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, DynamoDbLocalServer.class.getName()),
                Map.of(), dir, log -> endpointIn(log) != null && answers(endpointIn(log)), Duration.ofSeconds(60));
        return new DynamoDbLocalServer(process, endpointIn(process.logFile()));
    }

    /**
     * Whether it answers a {@code ListTables} within 5 s: its first requests open the database and compile the
     * request path, which on a busy machine outlasts a service's 10 s start-up check.
     */
    private static boolean answers(String endpoint) {
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5))).build()) {
            client.listTables();
            return true;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static String endpointIn(Path log) {
        try {
            Matcher found = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return found.find() ? found.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code http://127.0.0.1:PORT}, the value for DYNAMODB_ENDPOINT. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.close();
    }

    /** Serves DynamoDB Local until standard input is closed. */
    public static void main(String[] args) throws Exception {
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(null)) {
            System.out.println("DynamoDB Local listening on " + dynamoDb.endpoint());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
