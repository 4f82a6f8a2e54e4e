package support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One service instance as an operator runs it: the packaged jar ({@code java -jar target/enrollment-service.jar},
 * with {@code bin/run}'s heap and collector options) in a process of its own on a free loopback port, which a test
 * can kill with SIGKILL ({@code kill -9}) and start again with the same environment and port.
 */
public final class JarInstance implements AutoCloseable {

    private static final HttpClient HEALTH = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final int port;
    private final Path directory;
    private volatile ServerProcess process;
    private int starts;

    private JarInstance(String name, Path jar, Map<String, String> environment, int port, Path directory) {
        this.name = name;
        this.jar = jar;
        this.environment = environment;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Starts an instance and waits until {@code GET /observe/health} answers 200 (every store and route up).
     *
     * @param environment the instance's variables (docs/api.md names); {@code HTTP_PORT} is added
     * @throws IllegalStateException when it exits or is not healthy within 120 s (with the end of its log)
     */
    public static JarInstance start(String name, Path jar, Map<String, String> environment)
            throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(environment);
        int port = TestService.freePort();
        all.put("HTTP_PORT", Integer.toString(port));
        JarInstance service = new JarInstance(name, jar, Map.copyOf(all), port,
                Files.createTempDirectory("service-" + name));
        service.launch();
        return service;
    }

    private void launch() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        starts++;
        process = ServerProcess.start(name, List.of(java, "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
                "-jar", jar.toString()), environment, directory, log -> healthy(), Duration.ofSeconds(120));
    }

    private boolean healthy() {
        try {
            HttpResponse<String> answer = HEALTH.send(HttpRequest.newBuilder(URI.create(base() + "/observe/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for this instance (the same port across restarts). */
    public Api api() {
        return new Api(base());
    }

    public String name() {
        return name;
    }

    /** The running process's id (a new one after {@link #restart()}). */
    public long pid() {
        return process.pid();
    }

    /** Kills the process with SIGKILL: no shutdown hook runs, whatever it was doing stops between two steps. */
    public void kill() throws InterruptedException {
        keepLog();
        process.kill();
    }

    /** Starts the instance again (same environment and port) and waits until it is healthy. */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    /**
     * Copies the instance's log (each run's) to {@code target/fault-injection/}, where CI keeps it; the process's
     * own directory is deleted on {@link #close()}.
     */
    private void keepLog() {
        try {
            Path kept = Path.of("target", "fault-injection");
            Files.createDirectories(kept);
            Files.copy(process.logFile(), kept.resolve(name + "-run" + starts + ".log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // only diagnostics: the test's own assertions say what broke
        }
    }

    /** Stops the instance (TERM, then KILL), keeping its log. */
    @Override
    public void close() {
        keepLog();
        process.close();
    }
}
