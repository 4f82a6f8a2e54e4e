package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service as its own JVM ({@code java app.Main}, the jar's main class, on the test class path), so that a test
 * can stop it as an operator does, with SIGTERM, and read its log. Every store is embedded unless the variables
 * say otherwise; {@code DEMO_DATA} is off.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The line the service logs once it serves (app/EnrollmentService). */
    private static final String READY = "enrollment service listening on";

    private final ServerProcess process;
    private final int port;

    private ServiceProcess(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the service and waits until it serves.
     *
     * @param variables its environment (docs/api.md names); HTTP_PORT is chosen when absent
     * @throws IllegalStateException when it exits or does not serve within 3 minutes (with the end of its log; a
     *         start takes 5 s on a quiet machine and over a minute on a busy 2-core one)
     */
    public static ServiceProcess start(Map<String, String> variables) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("DEMO_DATA", "false");
        environment.put("HTTP_PORT", Integer.toString(TestService.freePort()));
        environment.putAll(variables);
        // Surefire runs the tests from a manifest-only jar; the real class path is in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path directory = Files.createTempDirectory("service-process");
        ServerProcess process = ServerProcess.start("enrollment-service",
                List.of(java.toString(), "-Xmx256m", "-cp", classPath, "app.Main"), environment, directory,
                log -> contains(log, READY), Duration.ofMinutes(3));
        return new ServiceProcess(process, Integer.parseInt(environment.get("HTTP_PORT")));
    }

    public int port() {
        return port;
    }

    /** A client for its API. */
    public Api api() {
        return new Api("http://127.0.0.1:" + port);
    }

    /**
     * Stops it with SIGTERM, as systemd, Kubernetes or Ctrl-C's terminal do.
     *
     * @return its exit status
     * @throws IllegalStateException when it runs on for more than {@code timeout} (it is then killed)
     */
    public int terminate(Duration timeout) throws InterruptedException {
        return process.terminate(timeout);
    }

    /** Its log so far (stdout and stderr). */
    public String log() throws IOException {
        return process.log();
    }

    /** Stops it if it still runs and deletes its scratch directory (not any DATA_DIR it was given). */
    @Override
    public void close() {
        process.close();
    }

    private static boolean contains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

}
