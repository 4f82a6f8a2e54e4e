package app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import config.Settings;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.JarInstance;
import support.TestStores;
import support.Tokens;
import support.WebhookReceiver;

/**
 * The lean production jar ({@code target/enrollment-service-lean.jar}, docs/operations.md "Deployment"): it carries
 * none of the embedded stand-ins, refuses at once to start while a store is not configured, naming the variable,
 * and serves a whole flow against stores it reaches over the network. Runs after {@code package} (failsafe), since
 * it starts the jar as a process of its own.
 */
class LeanJarIT {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Where each stand-in's classes or binaries sit in a jar; the lean jar must have none of them. */
    static final List<String> STAND_IN_PREFIXES = List.of(
            "embedded/",                        // our own stand-ins (embedded/EmbeddedStores ...)
            "com/amazonaws/",                   // DynamoDB Local and the AWS SDK v1
            "org/eclipse/jetty/",               // DynamoDB Local's HTTP server
            "com/almworks/sqlite4java/",        // DynamoDB Local's storage
            "org/apache/qpid/",                 // Qpid Broker-J
            "org/apache/derby/",                // its message store
            "com/icegreen/greenmail/",          // GreenMail
            "redis/embedded/");                 // embedded-redis

    static Path leanJar() {
        Path jar = Path.of(System.getProperty("lean.jar", "target/enrollment-service-lean.jar"));
        assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn -B verify packages it before this test)");
        return jar;
    }

    static Path standAloneJar() {
        Path jar = Path.of(System.getProperty("service.jar", "target/enrollment-service.jar"));
        assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn -B verify packages it before this test)");
        return jar;
    }

    @Test
    void theLeanJarCarriesNoStandInWhileTheStandAloneJarCarriesEach() throws IOException {
        List<String> lean = entries(leanJar());
        List<String> standAlone = entries(standAloneJar());
        for (String prefix : STAND_IN_PREFIXES) {
            assertThat(lean).as("lean jar entries under " + prefix).noneMatch(name -> name.startsWith(prefix));
            assertThat(standAlone).as("stand-alone jar entries under " + prefix)
                    .anyMatch(name -> name.startsWith(prefix));
        }
        // embedded-redis ships the server binaries as resources at the jar's root, sqlite4java its native library
        assertThat(lean).noneMatch(name -> name.contains("redis-server") || name.contains("sqlite4java"));
        assertThat(standAlone).anyMatch(name -> name.startsWith("redis-server-"));
        assertThat(lean).doesNotContain("META-INF/services/config.StandIns");
        assertThat(lean).contains("app/Main.class", "routes/StudentRoutes.class", "camel/student.yaml");
        assertThat(Files.size(leanJar())).isLessThan(Files.size(standAloneJar()) * 2 / 3);
    }

    @Test
    void withoutRedisTheLeanJarEndsAtOnceNamingTheVariable() throws Exception {
        Map<String, String> environment = new HashMap<>(TestStores.environment(Map.of()));
        environment.remove("REDIS_URL");
        Ended ended = run(leanJar(), environment);
        assertThat(ended.status()).isEqualTo(1);
        assertThat(ended.log()).contains("start-up failed: REDIS_URL is not set, and this jar has no embedded "
                + "stand-ins");
        // nothing else was tried: no store client, no Camel
        assertThat(ended.log()).doesNotContain("Apache Camel").doesNotContain("Embedded stand-ins up");
    }

    @Test
    void withNoStoreConfiguredTheLeanJarNamesEachVariable() throws Exception {
        Ended ended = run(leanJar(), Map.of("DATA_DIR", Settings.IN_MEMORY));
        assertThat(ended.status()).isEqualTo(1);
        assertThat(ended.log()).contains(
                "DYNAMODB_ENDPOINT, REDIS_URL, RABBITMQ_URL, SMTP_HOST are not set, and this jar has no embedded "
                        + "stand-ins");
    }

    /** The same environment the stand-alone jar would fill in itself: it starts its stand-ins and serves. */
    @Test
    void theStandAloneJarStartsItsStandInsWhereTheLeanOneRefuses() throws Exception {
        Map<String, String> environment = new HashMap<>(TestStores.environment(Map.of()));
        environment.remove("REDIS_URL");
        try (JarInstance service = JarInstance.start("stand-alone-without-redis", standAloneJar(), environment)) {
            Api.Response health = service.api().get("/observe/health", null);
            assertThat(health.status()).isEqualTo(200);
        }
    }

    @Test
    void againstStoresReachedOverTheNetworkTheLeanJarPromotesAndNotifies() throws Exception {
        Tokens tokens = new Tokens();
        Map<String, String> environment = TestStores.environment(Map.of(
                "STORE_PREFIX", "lean" + Tokens.freshId() + "-",
                "JWT_PRIVATE_KEY_FILE", tokens.pemFile(),
                "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
        try (JarInstance service = JarInstance.start("lean", leanJar(), environment);
             WebhookReceiver receiver = new WebhookReceiver()) {
            Api.Response health = service.api().get("/observe/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");

            Campus campus = new Campus(service.api(), tokens);
            long classId = campus.newClass(1);
            Student seated = campus.student();
            Student waiting = campus.student();
            assertThat(campus.enroll(seated, classId).status()).isEqualTo(201);
            assertThat(campus.enroll(waiting, classId).status()).isEqualTo(202);
            String email = "lean" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
            assertThat(campus.api.post("/student/subscribe/" + classId, waiting.token(),
                    Map.of("email", email, "callbackUrl", receiver.url("/hooks/lean"))).status()).isEqualTo(201);
            assertThat(campus.drop(seated, classId).status()).isEqualTo(200);

            JsonNode event = JSON.readTree(receiver.await(1, 30_000).get(0).body());
            assertThat(event.get("type").asText()).isEqualTo("enrolled");
            assertThat(event.get("studentId").asLong()).isEqualTo(waiting.id());
            MimeMessage mail = awaitMail(email);
            assertThat(mail.getSubject()).isEqualTo("New Enrollment");
            campus.assertStored(classId, 1, 0);
        }
    }

    record Ended(int status, String log) {
    }

    /** Runs the jar until it ends by itself (at most 60 s), with only the given variables and a free port. */
    private static Ended run(Path jar, Map<String, String> environment) throws Exception {
        Path log = Files.createTempFile("lean-jar", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("HTTP_PORT", Integer.toString(support.TestService.freePort()));
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended within 60 s").isTrue();
            return new Ended(process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }

    private static MimeMessage awaitMail(String to) throws Exception {
        GreenMail mail = TestStores.shared().smtp().greenMail();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage message : mail.getReceivedMessages()) {
                if (Arrays.stream(message.getAllRecipients()).anyMatch(address -> address.toString().equals(to))) {
                    return message;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no email to " + to + " within 30 s");
    }
}
