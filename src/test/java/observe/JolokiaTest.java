package observe;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.RunningService;
import support.TestService;

/** JMX over HTTP at /observe/jolokia, as Hawtio or curl would call it: who may, what they read, what is refused. */
class JolokiaTest {

    private static final String JOLOKIA = "/observe/jolokia";

    @RegisterExtension
    static final RunningService running = new RunningService();
    @RegisterExtension
    static final RunningService withExec = new RunningService(Map.of("JOLOKIA_ALLOW_EXEC", "true"));

    @Test
    void withoutATokenIs401AndWithAStudentsTokenIs403() {
        Api.Response anonymous = running.api.post(JOLOKIA, null, Map.of("type", "version"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(anonymous.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(anonymous.json().get("code").asText()).isEqualTo("unauthorized");
        assertThat(running.api.get(JOLOKIA + "/version", null).status()).isEqualTo(401);
        // spellings the router reads as /observe/jolokia are refused alike
        for (String path : List.of("/observe//jolokia/version", "/observe/./jolokia/version",
                "/observe/x/../jolokia/version", "/observe/%6Aolokia/version")) {
            assertThat(running.api.get(path, null).status()).as(path).isEqualTo(401);
        }

        Api.Response student = running.api.get(JOLOKIA + "/version", running.campus.student().token());
        assertThat(student.status()).isEqualTo(403);
        assertThat(student.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(student.body()).doesNotContain("agent");
    }

    /**
     * The port opens before Camel's routes start: Jolokia must refuse a caller without a token from its first
     * answer on (a check added to the router after the start let ~25 such requests through in a second).
     */
    @Test
    void fromItsFirstAnswerJolokiaRefusesACallerWithoutAToken() throws Exception {
        int port = TestService.freePort();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest version = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + JOLOKIA + "/version"))
                .timeout(Duration.ofSeconds(2)).build();
        List<Integer> whileStarting = new CopyOnWriteArrayList<>();
        AtomicBoolean started = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            while (!started.get()) {
                try {
                    whileStarting.add(client.send(version, HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        poller.start();
        EnrollmentService service = TestService.start(Map.of("HTTP_PORT", Integer.toString(port)));
        started.set(true);
        poller.join();
        try {
            assertThat(whileStarting).as("answers while the service started").isNotEmpty().doesNotContain(200);
            assertThat(client.send(version, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        } finally {
            service.close();
        }
    }

    @Test
    void aRegistrarReadsHowManyEnrollmentsTheEnrollRouteCompleted() {
        long before = completed(running, "enroll");
        long classId = running.campus.newClass(2);
        for (int i = 0; i < 3; i++) {
            assertThat(running.campus.enroll(running.campus.student(), classId).status()).isIn(201, 202);
        }

        assertThat(completed(running, "enroll")).isEqualTo(before + 3);
    }

    @Test
    void operationsAreRefusedByDefaultAndTheRouteKeepsRunning() {
        JsonNode suspend = jolokia(running, Map.of("type", "exec", "mbean", route(running, "enroll"),
                "operation", "suspend()"));
        assertThat(suspend.get("status").asInt()).as(suspend.toString()).isEqualTo(403);
        assertThat(suspend.get("error").asText()).as(suspend.toString()).contains("forbidden");
        JsonNode write = jolokia(running, Map.of("type", "write", "mbean", route(running, "enroll"),
                "attribute", "Description", "value", "changed over HTTP"));
        assertThat(write.get("status").asInt()).isEqualTo(403);

        assertThat(read(running, "enroll", "State").asText()).isEqualTo("Started");
        Student student = running.campus.student();
        assertThat(running.campus.enroll(student, running.campus.newClass(1)).status()).isEqualTo(201);
    }

    @Test
    void withTheExecSwitchOnAnOperatorSuspendsAndResumesTheWebhookDeliveries() throws Exception {
        String webhooks = route(withExec, "deliver-webhook");
        JsonNode suspended = jolokia(withExec, Map.of("type", "exec", "mbean", webhooks, "operation", "suspend()"));
        assertThat(suspended.get("status").asInt()).as(suspended.toString()).isEqualTo(200);
        assertThat(read(withExec, "deliver-webhook", "State").asText()).isEqualTo("Suspended");
        // the health check names the suspended route: a load balancer polling it takes the instance out
        Api.Response health = withExec.api.get("/observe/health", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body()).contains("route:deliver-webhook");

        JsonNode resumed = jolokia(withExec, Map.of("type", "exec", "mbean", webhooks, "operation", "resume()"));
        assertThat(resumed.get("status").asInt()).isEqualTo(200);
        assertThat(read(withExec, "deliver-webhook", "State").asText()).isEqualTo("Started");
        assertThat(withExec.api.get("/observe/health", null).status()).isEqualTo(200);
        JsonNode write = jolokia(withExec, Map.of("type", "write", "mbean", webhooks,
                "attribute", "Description", "value", "changed over HTTP"));
        assertThat(write.get("status").asInt()).isEqualTo(403);
        Path dump = Files.createTempDirectory("jolokia").resolve("heap.hprof");
        JsonNode heapDump = jolokia(withExec, Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "operation", "dumpHeap", "arguments", List.of(dump.toString(), true)));
        assertThat(heapDump.get("status").asInt()).as(heapDump.toString()).isEqualTo(403);
        assertThat(dump).doesNotExist();
    }

    /** ExchangesCompleted of a route, read with a pattern over every context as Hawtio lists them. */
    private static long completed(RunningService service, String routeId) {
        JsonNode answer = jolokia(service, Map.of("type", "read",
                "mbean", "org.apache.camel:context=*,type=routes,name=\"" + routeId + "\"",
                "attribute", "ExchangesCompleted"));
        assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(200);
        // other instances of this JVM's tests may be running too: take this one's
        return answer.get("value").get(route(service, routeId)).get("ExchangesCompleted").asLong();
    }

    private static JsonNode read(RunningService service, String routeId, String attribute) {
        JsonNode answer = jolokia(service, Map.of("type", "read", "mbean", route(service, routeId),
                "attribute", attribute));
        assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(200);
        return answer.get("value");
    }

    private static String route(RunningService service, String routeId) {
        return "org.apache.camel:context=" + service.service.camelContext().getManagementName()
                + ",name=\"" + routeId + "\",type=routes";
    }

    private static JsonNode jolokia(RunningService service, Map<String, Object> request) {
        Api.Response answer = service.api.post(JOLOKIA, service.campus.registrar, request);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }
}
