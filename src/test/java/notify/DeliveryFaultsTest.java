package notify;

import static org.assertj.core.api.Assertions.assertThat;
import static support.MailSink.awaitMail;
import static support.MailSink.mailTo;

import app.EnrollmentService;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import store.Broker;
import support.Api;
import support.Background;
import support.Campus;
import support.Campus.Student;
import support.Closing;
import support.TcpProxy;
import support.TestService;
import support.TestStores;
import support.Tokens;
import support.WebhookReceiver;

/**
 * Nothing is lost and nothing is sent twice when a part fails: the broker down while a seat is given, the SMTP
 * server down, the service stopped between two attempts, the broker delivering a message a second time.
 */
class DeliveryFaultsTest {

    static Tokens tokens = new Tokens();
    @RegisterExtension
    final Closing closing = new Closing();
    EnrollmentService service;
    WebhookReceiver receiver;
    TcpProxy proxy;

    @Test
    void anEventWrittenWhileTheBrokerIsDownIsDeliveredOnceItIsBack() throws Exception {
        URI broker = URI.create(TestStores.environment(Map.of()).get("RABBITMQ_URL"));
        proxy = closing.add(new TcpProxy(broker.getHost(), broker.getPort()));
        URI viaProxy = new URI(broker.getScheme(), broker.getUserInfo(), "127.0.0.1", proxy.port(), broker.getPath(),
                null, null);
        service = closing.add(start(Map.of("RABBITMQ_URL", viaProxy.toString())));
        receiver = closing.add(new WebhookReceiver());
        Campus campus = new Campus(new Api(service), tokens);

        Scene scene = fullClassWithSubscribedWaitingStudent(campus, receiver.url("/hooks/outage"), null);
        proxy.cut();
        assertThat(campus.drop(scene.seated(), scene.classId()).status()).isEqualTo(200);
        Background.eventually(() -> assertThat(campus.api.get("/student/enrollments", scene.waiting().token()).json()
                .get("enrolled")).hasSize(1));
        // the broker is out of reach: nothing can be delivered meanwhile
        Background.throughout(Duration.ofSeconds(3), () -> assertThat(receiver.received()).isEmpty());

        proxy.restore();
        assertThat(receiver.await(1, 30_000)).hasSize(1);
        Background.throughout(Duration.ofSeconds(1), () -> assertThat(receiver.received()).hasSize(1));
    }

    @Test
    void anEmailIsDeliveredOnceTheSmtpServerIsBack() throws Exception {
        Campus campus = startBehindSmtpProxy();
        String email = newEmail();

        proxy.cut();
        Scene scene = fullClassWithSubscribedWaitingStudent(campus, null, email);
        NotifyBuilder firstAttempt = DeliveryTest.attemptsTo(service.camelContext(), email, 1);
        campus.drop(scene.seated(), scene.classId());
        assertThat(firstAttempt.matches(15, TimeUnit.SECONDS)).as("an attempt failed on the SMTP outage").isTrue();
        proxy.restore();
        assertThat(awaitMail(email, 1).get(0).getSubject()).isEqualTo("New Enrollment");
    }

    @Test
    void emailsShareOneRelayConnectionAndOneTheRelayDroppedIsReplaced() throws Exception {
        Campus campus = startBehindSmtpProxy();
        int before = proxy.connections();   // the start-up check's own connection
        for (int i = 0; i < 3; i++) {
            String email = newEmail();
            Scene scene = fullClassWithSubscribedWaitingStudent(campus, null, email);
            campus.drop(scene.seated(), scene.classId());
            assertThat(awaitMail(email, 1)).hasSize(1);
        }
        assertThat(proxy.connections() - before).as("three emails, one SMTP session").isEqualTo(1);

        // the relay drops the idle connection (as relays do after some minutes): the next email is not lost
        proxy.cut();
        proxy.restore();
        String email = newEmail();
        Scene scene = fullClassWithSubscribedWaitingStudent(campus, null, email);
        campus.drop(scene.seated(), scene.classId());
        assertThat(awaitMail(email, 1)).hasSize(1);
        Background.throughout(Duration.ofSeconds(1), () -> assertThat(mailTo(email)).as("delivered once").hasSize(1));
        assertThat(proxy.connections() - before).isEqualTo(2);
    }

    @Test
    void aCircuitOneInstanceOpenedHoldsForAnotherInstance() throws Exception {
        Map<String, String> shared = Map.of("STORE_PREFIX", "circuit" + Tokens.freshId() + "-",
                "NOTIFY_CIRCUIT_OPEN", "20s");
        service = closing.add(start(shared));
        Campus campus = new Campus(new Api(service), tokens);
        receiver = closing.add(new WebhookReceiver());
        receiver.answer(500);
        List<Scene> scenes = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // one target for all: the circuit is per callback URL
            scenes.add(fullClassWithSubscribedWaitingStudent(campus, receiver.url("/hooks/down"), null));
        }
        // dropped together, so no delivery runs out of attempts before 5 failures open the circuit
        support.Concurrently.run(3, i -> campus.drop(scenes.get(i).seated(), scenes.get(i).classId()));
        receiver.await(5, 10_000);
        int opened = Background.settled(() -> receiver.received().size(), Duration.ofMillis(500));
        assertThat(opened).isBetween(5, 8);

        // the instance that saw the failures goes; a fresh one, which saw none, takes over the same stores
        service.close();
        service = closing.add(start(shared));
        Campus next = new Campus(new Api(service), tokens);
        Scene another = fullClassWithSubscribedWaitingStudent(next, receiver.url("/hooks/down"), null);
        assertThat(next.drop(another.seated(), another.classId()).status()).isEqualTo(200);
        Background.throughout(Duration.ofSeconds(3), () -> assertThat(receiver.received()).as("while the shared "
                + "circuit is open, nothing is attempted: neither the pending retries nor the new delivery")
                .hasSize(opened));
    }

    @Test
    void aRetryPendingWhenTheServiceStopsHappensAfterItStartsAgain() throws Exception {
        String prefix = "restart" + Tokens.freshId() + "-";
        Map<String, String> variables = Map.of("STORE_PREFIX", prefix, "NOTIFY_RETRY_SCHEDULE", "2s,2s");
        service = closing.add(start(variables));
        receiver = closing.add(new WebhookReceiver());
        receiver.answer(500, 200);
        Campus campus = new Campus(new Api(service), tokens);
        Scene scene = fullClassWithSubscribedWaitingStudent(campus, receiver.url("/hooks/restart"), null);
        campus.drop(scene.seated(), scene.classId());
        assertThat(receiver.await(1, 15_000)).hasSize(1);
        service.close();

        service = closing.add(start(variables));
        assertThat(receiver.await(2, 20_000)).hasSize(2);
        // longer than the 2 s schedule: a third attempt would come within it
        Background.throughout(Duration.ofMillis(2_500), () -> assertThat(receiver.received()).hasSize(2));
        assertThat(receiver.received().get(1).header("webhook-id")).isEqualTo(receiver.received().get(0).header("webhook-id"));
    }

    @Test
    void aMessageTheBrokerDeliversAgainAfterASuccessIsNotSentAgain() throws Exception {
        service = closing.add(start(Map.of()));
        receiver = closing.add(new WebhookReceiver());
        Campus campus = new Campus(new Api(service), tokens);
        String email = newEmail();
        Scene scene = fullClassWithSubscribedWaitingStudent(campus, receiver.url("/hooks/once"), email);
        campus.drop(scene.seated(), scene.classId());
        String event = receiver.await(1, 15_000).get(0).body();
        awaitMail(email, 1);

        // the same message once more, as a broker does after a lost acknowledgement
        var factory = Broker.connectionFactory(
                List.of(URI.create(TestStores.environment(Map.of()).get("RABBITMQ_URL"))), store.TlsTrust.of(null));
        try (var connection = factory.createConnection(); Channel channel = connection.createChannel(false)) {
            channel.basicPublish("notify", "", MessageProperties.PERSISTENT_TEXT_PLAIN,
                    event.getBytes(StandardCharsets.UTF_8));
        } finally {
            factory.destroy();
        }
        Background.throughout(Duration.ofSeconds(3), () -> {
            assertThat(receiver.received()).hasSize(1);
            assertThat(mailTo(email)).hasSize(1);
        });
    }

    record Scene(long classId, Student seated, Student waiting) {
    }

    private static EnrollmentService start(Map<String, String> variables) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("JWT_PRIVATE_KEY_FILE", tokens.pemFile(),
                "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true", "NOTIFY_RETRY_SCHEDULE", "300ms,300ms,300ms"));
        all.putAll(variables);
        return TestService.start(all);
    }

    /** A service whose mail relay is the shared SMTP server behind {@link #proxy}, which the test cuts. */
    private Campus startBehindSmtpProxy() throws Exception {
        var smtp = TestStores.shared().smtp();
        proxy = closing.add(new TcpProxy(smtp.host(), smtp.port()));
        service = closing.add(start(Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(proxy.port()),
                "NOTIFY_RETRY_SCHEDULE", "300ms,300ms,500ms,1s,2s,5s")));
        return new Campus(new Api(service), tokens);
    }

    /** An address no other test writes to, so the mail it receives is this test's. */
    private static String newEmail() {
        return "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.edu";
    }

    private static Scene fullClassWithSubscribedWaitingStudent(Campus campus, String hook, String email) {
        long classId = campus.newClass(1);
        Student seated = campus.student();
        Student waiting = campus.student();
        campus.enroll(seated, classId);
        campus.enroll(waiting, classId);
        Map<String, Object> targets = new HashMap<>();
        if (hook != null) {
            targets.put("callbackUrl", hook);
        }
        if (email != null) {
            targets.put("email", email);
        }
        assertThat(campus.api.post("/student/subscribe/" + classId, waiting.token(), targets).status()).isEqualTo(201);
        return new Scene(classId, seated, waiting);
    }
}
