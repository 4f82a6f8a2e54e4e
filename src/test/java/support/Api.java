package support;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A plain HTTP client for a running service instance, as a user's client would call it. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Api(EnrollmentService service) {
        this("http://127.0.0.1:" + service.settings().httpPort());
    }

    public Api(String base) {
        this.base = base;
    }

    /** An HTTP answer, with the body parsed as JSON when it is JSON. */
    public record Response(int status, HttpResponse<String> raw) {

        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, body, Map.of());
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null, Map.of());
    }

    /** Sends a request; a String body is sent as is, anything else as JSON (as application/json unless given). */
    public Response send(String method, String path, String token, Object body, Map<String, String> headers) {
        return send(method, path, token, body, headers, Duration.ofSeconds(30));
    }

    /** As {@link #send(String, String, String, Object, Map)}, waiting up to {@code timeout} for the answer. */
    public Response send(String method, String path, String token, Object body, Map<String, String> headers,
                         Duration timeout) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(text));
            if (text != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach(request::header);
            HttpResponse<String> raw = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(raw.statusCode(), raw);
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    public String login(String username, String password) {
        Response answer = post("/auth/login", null, Map.of("username", username, "password", password));
        if (answer.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + answer);
        }
        return answer.json().get("access_token").asText();
    }

    public String registrarToken() {
        return login("registrar", "registrar");
    }

    /** Registers a new student with a unique username and returns the 201 answer's JSON. */
    public JsonNode registerStudent(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", "s" + UUID.randomUUID().toString().substring(0, 12));
        body.put("password", "correct horse battery");
        body.put("name", name);
        Response answer = post("/auth/register", null, body);
        if (answer.status() != 201) {
            throw new AssertionError("registration failed: " + answer);
        }
        return answer.json();
    }
}
