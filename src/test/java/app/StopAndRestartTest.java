package app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Api;
import support.Campus;
import support.ServiceProcess;
import support.TestService;
import support.Tokens;
import support.WebhookReceiver;

/**
 * The one-command run (every store embedded, DATA_DIR on disk) stopped as an operator stops it, with SIGTERM, and
 * started again: the stop is quick and quiet, and the second process finds what the first one left, including the
 * deliveries it had not finished and an event still waiting in the broker's queue.
 */
class StopAndRestartTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path data;

    private final Tokens tokens = new Tokens();

    @Test
    void whatWasThereBeforeASigtermIsThereAfterTheRestartAndAnEventQueuedAtTheStopIsDelivered() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            Map<String, String> env = environment(receiver);
            Map<String, String> before;
            long pendingClass;
            long queuedClass;
            String ada;
            String dave;
            try (ServiceProcess first = ServiceProcess.start(env)) {
                Api api = first.api();
                Campus campus = new Campus(api, tokens);
                Campus.Instructor instructor = campus.instructor();
                long kept = campus.classOf(instructor, 1).get("id").asLong();
                ada = api.registerStudent("Ada Lovelace").get("username").asText();
                String bob = api.registerStudent("Bob Kahn").get("username").asText();
                String adaToken = api.login(ada, PASSWORD);
                String bobToken = api.login(bob, PASSWORD);
                assertThat(api.post("/student/enrollments/" + kept, adaToken, null).status()).isEqualTo(201);
                assertThat(api.post("/student/enrollments/" + kept, bobToken, null).status()).isEqualTo(202);
                assertThat(api.post("/student/subscribe/" + kept, bobToken,
                        Map.of("email", "bob@example.edu", "callbackUrl", receiver.url("/kept"))).status())
                        .isEqualTo(201);

                // a delivery the target refuses (503): pending in the retry schedule when the service stops
                pendingClass = campus.classOf(instructor, 3).get("id").asLong();
                Campus.Student carl = campus.student();
                assertThat(api.post("/student/subscribe/" + pendingClass, carl.token(),
                        Map.of("callbackUrl", receiver.url("/pending"))).status()).isEqualTo(201);
                assertThat(api.delete("/registrar/classes/" + pendingClass, campus.registrar).status())
                        .isEqualTo(200);
                awaitHook(receiver, pendingClass, 0, 20_000);

                // an event that waits in the broker's webhook queue when the service stops: its consumer suspended
                suspend(api, campus.registrar, "deliver-webhook");
                queuedClass = campus.classOf(instructor, 3).get("id").asLong();
                dave = api.registerStudent("Dave Clark").get("username").asText();
                String daveToken = api.login(dave, PASSWORD);
                assertThat(api.post("/student/subscribe/" + queuedClass, daveToken,
                        Map.of("email", dave + "@example.edu", "callbackUrl", receiver.url("/queued"))).status())
                        .isEqualTo(201);
                assertThat(api.delete("/registrar/classes/" + queuedClass, campus.registrar).status())
                        .isEqualTo(200);
                // the email of the same event went out: the event reached the broker
                MimeMessage mail = awaitMail(dave + "@example.edu", 20_000);
                assertThat(mail.getSubject()).isEqualTo("Class removed");

                before = state(api, kept, instructor.token(), campus.registrar, adaToken, bobToken);
                long stopAt = System.nanoTime();
                assertThat(first.terminate(Duration.ofSeconds(20))).as("exit status").isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).as(first.log())
                        .isLessThan(Duration.ofSeconds(10));
                assertQuietStop(first.log());
            }
            assertThat(receiver.received().stream().filter(hook -> hook.body().contains("\"classId\":" + queuedClass)))
                    .as("the queued event was not delivered before the stop").isEmpty();

            receiver.answer(200);
            long restartedAt = System.currentTimeMillis();
            try (ServiceProcess second = ServiceProcess.start(env)) {
                Api api = second.api();
                String registrar = api.registrarToken();
                String adaToken = api.login(ada, PASSWORD);
                long kept = Long.parseLong(before.get("kept"));
                Map<String, String> after = state(api, kept, before.get("instructor"), registrar, adaToken,
                        before.get("bob"));
                assertThat(after).isEqualTo(before);
                assertThat(api.login(dave, PASSWORD)).isNotBlank();

                awaitHook(receiver, pendingClass, restartedAt, 30_000);
                awaitHook(receiver, queuedClass, restartedAt, 30_000);
                assertThat(api.get("/registrar/dead-letters", registrar).body())
                        .doesNotContain("\"classId\":" + pendingClass).doesNotContain("\"classId\":" + queuedClass);
            }
        }
    }

    @Test
    void aSigtermUnderLoadEndsWithinTenSecondsQuietlyAndLosesNothing() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // every webhook attempt hangs: attempts are in flight when the service stops
            receiver.answer(WebhookReceiver.HANG);
            Map<String, String> env = environment(receiver);
            long classId;
            long removedClass;
            List<Campus.Student> enrolled = new CopyOnWriteArrayList<>();
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            try (ServiceProcess first = ServiceProcess.start(env)) {
                Api api = first.api();
                Campus campus = new Campus(api, tokens);
                classId = campus.newClass(10_000);
                removedClass = campus.newClass(5);
                for (int i = 0; i < 3; i++) {
                    Campus.Student subscriber = campus.student();
                    assertThat(api.post("/student/subscribe/" + removedClass, subscriber.token(),
                            Map.of("callbackUrl", receiver.url("/hanging/" + i))).status()).isEqualTo(201);
                }
                assertThat(api.delete("/registrar/classes/" + removedClass, campus.registrar).status())
                        .isEqualTo(200);
                receiver.await(3, 20_000);

                AtomicBoolean stopped = new AtomicBoolean();
                ExecutorService load = Executors.newFixedThreadPool(8, task -> {
                    Thread thread = new Thread(task, "load");
                    thread.setDaemon(true);
                    return thread;
                });
                int status;
                Duration took;
                try {
                    for (int t = 0; t < 8; t++) {
                        load.submit(() -> enrollUntil(stopped, api, campus, classId, statuses, enrolled));
                    }
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (enrolled.size() < 20 && System.currentTimeMillis() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(enrolled).as("enrollments under load before the stop").hasSizeGreaterThanOrEqualTo(20);
                    long stopAt = System.nanoTime();
                    status = first.terminate(Duration.ofSeconds(30));
                    took = Duration.ofNanos(System.nanoTime() - stopAt);
                } finally {
                    stopped.set(true);
                    load.shutdown();
                }
                assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                String log = first.log();
                assertThat(status).as("exit status").isZero();
                assertThat(took).as(log.substring(log.indexOf("SIGTERM"))).isLessThan(Duration.ofSeconds(10));
                assertQuietStop(first.log());
            }
            assertThat(statuses).as("answers under load and while stopping").isSubsetOf(201, 503);

            receiver.answer(200);
            long restartedAt = System.currentTimeMillis();
            try (ServiceProcess second = ServiceProcess.start(env)) {
                Api api = second.api();
                for (Campus.Student student : enrolled) {
                    JsonNode seats = api.get("/student/enrollments", student.token()).json().get("enrolled");
                    assertThat(seats.findValuesAsText("id")).as("student %d was answered 201", student.id())
                            .contains(Long.toString(classId));
                }
                // the attempts cut short by the stop were pending, and are delivered now
                long deadline = System.currentTimeMillis() + 40_000;
                while (hooksAfter(receiver, removedClass, restartedAt) < 3 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(hooksAfter(receiver, removedClass, restartedAt)).isGreaterThanOrEqualTo(3);
            }
        }
    }

    /**
     * New students enroll one after another until {@code stopped}; the answers' statuses are kept, and the students
     * answered 201. A request the closed listener refuses is no answer.
     */
    private static void enrollUntil(AtomicBoolean stopped, Api api, Campus campus, long classId,
            List<Integer> statuses, List<Campus.Student> enrolled) {
        while (!stopped.get()) {
            Campus.Student student = campus.student();
            Api.Response answer;
            try {
                answer = api.post("/student/enrollments/" + classId, student.token(), null);
            } catch (AssertionError refused) {
                LockSupport.parkNanos(50_000_000);
                continue;
            }
            statuses.add(answer.status());
            if (answer.status() == 201) {
                enrolled.add(student);
            }
        }
    }

    private Map<String, String> environment(WebhookReceiver receiver) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", data.toString());
        env.put("HTTP_PORT", Integer.toString(TestService.freePort()));
        env.put("JWT_PRIVATE_KEY_FILE", tokens.pemFile());
        env.put("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("JOLOKIA_ALLOW_EXEC", "true");
        // retries every 2 s, for long enough that a refused delivery is still pending after the restart; the
        // refusing target's circuit opens for a moment only
        env.put("NOTIFY_RETRY_SCHEDULE", String.join(",", Collections.nCopies(40, "2s")));
        env.put("NOTIFY_CIRCUIT_OPEN", "2s");
        // creating the tables on DynamoDB Local takes seconds each on a busy 2-core machine
        env.put("DYNAMODB_RETRY_BUDGET", "60s");
        return env;
    }

    /** What a user would look at, as answered: their enrollments, place, subscriptions, the class and its lists. */
    private static Map<String, String> state(Api api, long classId, String instructor, String registrar,
            String ada, String bob) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("kept", Long.toString(classId));
        state.put("instructor", instructor);
        state.put("bob", bob);
        state.put("ada's enrollments", ok(api.get("/student/enrollments", ada)));
        state.put("bob's enrollments", ok(api.get("/student/enrollments", bob)));
        state.put("bob's place", ok(api.get("/student/waitlist/" + classId, bob)));
        state.put("bob's subscriptions", ok(api.get("/student/subscriptions", bob)));
        state.put("the class", ok(api.get("/registrar/classes/" + classId, registrar)));
        state.put("its enrolled", ok(api.get("/instructor/classes/" + classId + "/enrolled", instructor)));
        state.put("its waiting list", ok(api.get("/instructor/classes/" + classId + "/waitlist", instructor)));
        state.put("open classes", ok(api.get("/student/classes", ada)));
        return state;
    }

    private static String ok(Api.Response answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.body();
    }

    /** No ERROR line and no stack trace from the signal on. */
    private static void assertQuietStop(String log) {
        int signal = log.indexOf("SIGTERM");
        assertThat(signal).as("the stop is logged").isNotNegative();
        String stop = log.substring(signal);
        assertThat(stop.lines().filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ")
                || line.startsWith("Caused by:") || line.contains("Exception:"))).as(stop).isEmpty();
        assertThat(stop).contains("enrollment service stopped in");
    }

    private static void suspend(Api api, String registrar, String routeId) {
        Api.Response found = api.post("/observe/jolokia", registrar, Map.of("type", "search",
                "mbean", "org.apache.camel:type=routes,name=\"" + routeId + "\",*"));
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        String mbean = found.json().get("value").get(0).asText();
        Api.Response suspended = api.post("/observe/jolokia", registrar,
                Map.of("type", "exec", "mbean", mbean, "operation", "suspend()"));
        assertThat(suspended.json().get("status").asInt()).as(suspended.toString()).isEqualTo(200);
    }

    private static void awaitHook(WebhookReceiver receiver, long classId, long afterMillis, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (hooksAfter(receiver, classId, afterMillis) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(hooksAfter(receiver, classId, afterMillis)).as("webhooks for class %d", classId).isPositive();
    }

    private static long hooksAfter(WebhookReceiver receiver, long classId, long afterMillis) {
        return receiver.received().stream().filter(hook -> hook.arrivedAtMillis() >= afterMillis)
                .filter(hook -> hook.body().contains("\"classId\":" + classId)).count();
    }

    /** The mail to {@code recipient} among the .eml files the embedded SMTP server wrote under DATA_DIR/mail. */
    private MimeMessage awaitMail(String recipient, long timeoutMillis) throws Exception {
        Session session = Session.getInstance(new Properties());
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Path mails = data.resolve("mail");
            if (Files.isDirectory(mails)) {
                List<Path> files;
                try (Stream<Path> listed = Files.list(mails)) {
                    files = new ArrayList<>(listed.filter(p -> p.toString().endsWith(".eml")).toList());
                }
                for (Path file : files) {
                    try (InputStream in = Files.newInputStream(file)) {
                        MimeMessage mail = new MimeMessage(session, in);
                        if (List.of(mail.getAllRecipients()).contains(new InternetAddress(recipient))) {
                            return mail;
                        }
                    }
                }
            }
            assertThat(System.currentTimeMillis()).as("a mail to %s in %s", recipient, mails).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
