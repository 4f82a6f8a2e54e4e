package bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The service as a load client sees it: one HTTP/1.1 client on a pool of threads sized for the load, the registrar
 * signed in, and an instructor of this run's own to create classes with (docs/api.md: POST /auth/login,
 * POST /registrar/users, POST /registrar/classes). Every address is on 127.0.0.1; the callers check it.
 */
final class Client implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http;
    /** This run's tag, in usernames and course codes: a second run on the same stores collides with nothing. */
    final String tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final ExecutorService pool;
    private String registrar;
    private long instructor;

    /** A client whose requests run on {@code threads} threads (at least as many as requests in flight). */
    Client(int threads) {
        pool = Executors.newFixedThreadPool(threads);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Signs the bootstrap registrar in and creates an instructor named {@code name-TAG}.
     *
     * @param base the service, {@code http://127.0.0.1:PORT}
     * @throws IllegalStateException when an answer is not the expected one
     */
    void signIn(String base, String name) throws Exception {
        registrar = call(base, "POST", "/auth/login", null,
                "{\"username\":\"registrar\",\"password\":\"registrar\"}", 200).get("access_token").asText();
        instructor = call(base, "POST", "/registrar/users", registrar, String.format(
                "{\"username\":\"%s-%s\",\"password\":\"bench-password\",\"name\":\"%s\",\"roles\":[\"Instructor\"]}",
                name, tag, name), 201).get("id").asLong();
    }

    /** The registrar's access token ({@link #signIn} first). */
    String registrar() {
        return registrar;
    }

    /**
     * Creates a class taught by this run's instructor ({@link #signIn} first) and returns its id.
     *
     * @param courseCode unique with the section within the department (this run's {@link #tag} in it)
     */
    long newClass(String base, String department, String courseCode, int section, String title, int capacity)
            throws Exception {
        return call(base, "POST", "/registrar/classes", registrar, String.format(
                "{\"department\":\"%s\",\"courseCode\":\"%s\",\"section\":%d,\"title\":\"%s\",\"instructorId\":%d,"
                        + "\"capacity\":%d}", department, courseCode, section, title, instructor, capacity), 201)
                .get("id").asLong();
    }

    /**
     * One request with a JSON body (or none), waiting up to 30 s.
     *
     * @param token a bearer token, or null
     * @return the answer's body as JSON (a missing node when empty)
     * @throws IllegalStateException when the status is not {@code expected}
     */
    JsonNode call(String base, String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + " (expected "
                    + expected + "): " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /**
     * Bounds a whole run: a daemon thread that halts the JVM with exit code 3 after {@code limitMillis}, unless
     * interrupted first.
     */
    static Thread watchdog(long limitMillis) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limitMillis);
                System.out.println("!! watchdog: the run exceeded " + limitMillis / 1000 + " s, exiting");
                System.out.flush();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // done in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }
}
