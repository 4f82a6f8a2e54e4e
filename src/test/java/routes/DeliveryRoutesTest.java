package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import event.Event;
import event.Events;
import notify.WebhookConnections;
import notify.WebhookDeadline;
import notify.WebhookTargets;
import store.Requeue;
import store.SmtpConnections;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import json.Json;
import notify.Delivery;
import notify.Destinations;
import notify.EmailMessage;
import notify.RetrySchedule;
import notify.WebhookRequest;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import routes.DeliveryStoreDoubles.Letter;

/**
 * The delivery pipeline of routes/NotificationRoutes alone, without Redis, a broker, SMTP or a receiver: the queues
 * are direct endpoints, the mail relay and the webhook target mock endpoints, the Redis gateways in-memory doubles
 * (DeliveryStoreDoubles); the routes, their error handling (BackgroundRouteConfiguration), the retry schedule, the
 * admission and the request signing are the real ones. Each test is one error path a student or an operator would
 * notice: a webhook that times out, one that is gone, an open circuit, a dead letter, Redis failing between the
 * send and its record.
 */
class DeliveryRoutesTest extends CamelTestSupport {

    static final long STUDENT = 7;
    static final long CLASS = 42;
    static final String CALLBACK = "https://hooks.example.edu/enrollment";
    /** NOTIFY_RETRY_SCHEDULE of these tests: two retries, then a dead letter. */
    static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

    final DeliveryStoreDoubles.PendingDeliveries deliveries = new DeliveryStoreDoubles.PendingDeliveries();
    final DeliveryStoreDoubles.Parkings parking = new DeliveryStoreDoubles.Parkings();
    final DeliveryStoreDoubles.Letters deadLetters = new DeliveryStoreDoubles.Letters();
    final DeliveryStoreDoubles.OneSubscription subscriptions = new DeliveryStoreDoubles.OneSubscription(STUDENT, CLASS,
            "ada@example.edu", CALLBACK);

    final Event event = Events.enrolled(STUDENT, "Ada Lovelace", CLASS, "Computer Networks");
    MockEndpoint webhookTarget;
    MockEndpoint mailRelay;

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        Properties properties = new Properties();
        properties.put("notify.attempt-threads", "4");
        properties.put("notify.attempt-backlog", "100");
        properties.put("notify.attempts-per-target", "4");
        properties.put("notify.email-consumers", "1");
        properties.put("notify.webhook-consumers", "1");
        properties.put("notify.outbox-period", "60000");
        properties.put("notify.retry-poll-period", "60000");
        // the relay and the targets are mocks of the test (queuesAndTargetsAreEndpointsOfTheTest)
        properties.put("notify.smtp-protocol", "smtp");
        properties.put("notify.smtp-host", "127.0.0.1");
        properties.put("notify.smtp-port", "25");
        camel.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("deliveries", deliveries);
        registry.bind("parking", parking);
        registry.bind("deadLetters", deadLetters);
        registry.bind("subscriptions", subscriptions);
        registry.bind("retrySchedule", new RetrySchedule(SCHEDULE));
        registry.bind("destinations", new Destinations(4));
        registry.bind("emailMessage", new EmailMessage("enrollment@example.edu"));
        registry.bind("webhookRequest", new WebhookRequest(subscriptions));
        // what the queues, the relay and the targets are given; the test replaces those endpoints
        registry.bind("requeueWithBackOff", Requeue.withBackOff(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        registry.bind("smtpConnections", mock(SmtpConnections.class));
        registry.bind("webhookConnections", WebhookConnections.create(new WebhookTargets(true)));
        registry.bind("webhookDeadline", new WebhookDeadline());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        // as Camel Main does for the service: the @BeanInject fields filled from the registry, by type
        return new RoutesBuilder[] {Injected.routes(context, new BackgroundRouteConfiguration()),
                Injected.routes(context, new NotificationRoutes())};
    }

    @BeforeEach
    void queuesAndTargetsAreEndpointsOfTheTest() throws Exception {
        AdviceWith.adviceWith(context, "deliver-email", route -> route.replaceFromWith("direct:email-queue"));
        AdviceWith.adviceWith(context, "deliver-webhook", route -> route.replaceFromWith("direct:webhook-queue"));
        AdviceWith.adviceWith(context, "retry-due-deliveries", route -> route.replaceFromWith("direct:retry-tick"));
        AdviceWith.adviceWith(context, "attempt-once", route -> {
            route.weaveById("send-email").replace().to("mock:mail-relay");
            route.weaveById("send-webhook").replace().to("mock:webhook-target");
        });
        context.start();
        webhookTarget = getMockEndpoint("mock:webhook-target");
        mailRelay = getMockEndpoint("mock:mail-relay");
    }

    @Test
    void aWebhookThatTimesOutIsDueAgainOnTheFirstDelayOfTheSchedule() throws Exception {
        webhookTarget.whenAnyExchangeReceived(exchange -> {
            throw new SocketTimeoutException("Read timed out");
        });
        NotifyBuilder attempted = attempts(1);

        long sentAt = System.currentTimeMillis();
        template.sendBody("direct:webhook-queue", Json.write(enrolled()));

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        String id = webhookDelivery();
        assertThat(deliveries.dueAgain).containsOnlyKeys(id);
        // the first delay, 1 s ±20%
        assertThat(deliveries.dueAgain.get(id) - sentAt).isBetween(800L, 1200L + (System.currentTimeMillis() - sentAt));
        assertThat(deliveries.pending.get(id).attempts()).isEqualTo(1);
        assertThat(deliveries.delivered).isEmpty();
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void aWebhookAnswering410IsDisabledAndItsDeliveryForgottenNeverRetried() throws Exception {
        webhookTarget.whenAnyExchangeReceived(exchange -> exchange.getMessage()
                .setHeader(Exchange.HTTP_RESPONSE_CODE, 410));
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:webhook-queue", Json.write(enrolled()));

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(subscriptions.webhookDisabledFor).containsExactly(STUDENT);
        assertThat(deliveries.forgotten).containsExactly(webhookDelivery());
        assertThat(deliveries.pending).isEmpty();
        assertThat(deliveries.dueAgain).isEmpty();
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void aTargetWhoseCircuitIsOpenIsNotSentToAndItsDeliveryStaysPending() throws Exception {
        deliveries.circuitOpen = true;
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:webhook-queue", Json.write(enrolled()));

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(webhookTarget.getReceivedCounter()).isZero();
        assertThat(deliveries.pending).containsOnlyKeys(webhookDelivery());
        assertThat(deliveries.delivered).isEmpty();
        assertThat(deliveries.dueAgain).isEmpty();
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void aDeliveryWhoseLastRetryFailsIsADeadLetterWithTheTargetsAnswer() throws Exception {
        webhookTarget.whenAnyExchangeReceived(exchange -> exchange.getMessage()
                .setHeader(Exchange.HTTP_RESPONSE_CODE, 503));
        // the schedule's last retry comes due: attempts 1 and 2 failed before
        Delivery lastRetry = Delivery.first(event, Delivery.WEBHOOK, CALLBACK).attempted().attempted();
        deliveries.pending.put(lastRetry.id(), lastRetry);
        deliveries.due.add(lastRetry);
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:retry-tick", null);

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(webhookTarget.getReceivedCounter()).isEqualTo(1);
        assertThat(deadLetters.letters).singleElement().satisfies(letter -> {
            assertThat(letter.delivery().id()).isEqualTo(lastRetry.id());
            assertThat(letter.delivery().attempts()).isEqualTo(3);
            assertThat(letter.error()).isEqualTo("HTTP 503");
        });
        assertThat(deliveries.forgotten).containsExactly(lastRetry.id());
        assertThat(deliveries.pending).isEmpty();
        assertThat(deliveries.dueAgain).isEmpty();
    }

    @Test
    void aWebhookRefusedFor400IsADeadLetterAtOnce() throws Exception {
        webhookTarget.whenAnyExchangeReceived(exchange -> exchange.getMessage()
                .setHeader(Exchange.HTTP_RESPONSE_CODE, 400));
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:webhook-queue", Json.write(enrolled()));

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(deadLetters.letters).extracting(Letter::error).containsExactly("HTTP 400");
        assertThat(deadLetters.letters.get(0).delivery().attempts()).isEqualTo(1);
        assertThat(deliveries.dueAgain).isEmpty();
    }

    @Test
    void aMessageThatIsNoEventIsADeadLetterOfItsQueueAndIsAcknowledged() {
        template.sendBody("direct:email-queue", "{\"not\": \"an event\"}".getBytes());

        assertThat(deadLetters.letters).singleElement().satisfies(letter -> {
            assertThat(letter.delivery()).isNull();
            assertThat(letter.queue()).isEqualTo(Delivery.EMAIL);
            assertThat(letter.body()).isEqualTo("{\"not\": \"an event\"}");
            assertThat(letter.error()).startsWith("not an event");
        });
        assertThat(deliveries.pending).isEmpty();
    }

    @Test
    void anEmailIsSentOnceToTheRelayAndRecordedDelivered() throws Exception {
        mailRelay.expectedMessageCount(1);
        mailRelay.expectedHeaderReceived("To", "ada@example.edu");
        mailRelay.expectedHeaderReceived("Subject", "New Enrollment");
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:email-queue", Json.write(event));
        // the broker delivers the message again: the delivery is already pending, nothing more is sent
        template.sendBody("direct:email-queue", Json.write(event));

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        mailRelay.assertIsSatisfied();
        assertThat(deliveries.delivered).containsExactly(event.id() + ":" + Delivery.EMAIL);
        assertThat(webhookTarget.getReceivedCounter()).isZero();
    }

    /**
     * The crash between two steps that matters: the target has the webhook, then Redis fails as the success is
     * recorded. The record is tried again while the attempt's lease holds, and the webhook is not sent again.
     */
    @Test
    void aSuccessWhoseRecordFailsTwiceIsRecordedOnceAndNeverSentAgain() throws Exception {
        webhookTarget.whenAnyExchangeReceived(exchange -> exchange.getMessage()
                .setHeader(Exchange.HTTP_RESPONSE_CODE, 204));
        deliveries.recordingFailures.set(2);
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:webhook-queue", Json.write(enrolled()));

        assertThat(attempted.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(deliveries.recordingTries.get()).isEqualTo(3);
        assertThat(deliveries.delivered).containsExactly(webhookDelivery());
        assertThat(webhookTarget.getReceivedCounter()).isEqualTo(1);
        assertThat(deliveries.dueAgain).isEmpty();
        assertThat(deadLetters.letters).isEmpty();
    }

    /**
     * Redis stays away past the attempt's lease: the outcome is left to the schedule (the delivery stays pending),
     * as if the instance had died, and nothing is sent twice from here.
     */
    @Test
    void aSuccessThatCannotBeRecordedWithinTheLeaseIsLeftPendingToTheSchedule() throws Exception {
        webhookTarget.whenAnyExchangeReceived(exchange -> exchange.getMessage()
                .setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        deliveries.recordingFailures.set(Integer.MAX_VALUE);
        deliveries.leaseHolds = false;
        NotifyBuilder attempted = attempts(1);

        template.sendBody("direct:webhook-queue", Json.write(enrolled()));

        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(webhookTarget.getReceivedCounter()).isEqualTo(1);
        assertThat(deliveries.delivered).isEmpty();
        assertThat(deliveries.pending).containsOnlyKeys(webhookDelivery());
        assertThat(deliveries.forgotten).isEmpty();
    }

    /** Redis down while a message is taken in: the message is not acknowledged (it goes back to its queue). */
    @Test
    void aMessageWhoseDeliveriesCannotBeMadeSafeIsNotAcknowledged() {
        subscriptions.failFinds = true;

        assertThatThrownBy(() -> template.sendBody("direct:webhook-queue", Json.write(enrolled())))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(RedisConnectionFailureException.class);
        assertThat(deliveries.pending).isEmpty();
        assertThat(webhookTarget.getReceivedCounter()).isZero();
    }

    /** Ada was enrolled from the waiting list: the event of each test (one per test instance). */
    private Event enrolled() {
        return event;
    }

    /** The id of the webhook delivery of the test's event. */
    private String webhookDelivery() {
        return event.id() + ":" + Delivery.WEBHOOK;
    }

    /**
     * Done when {@code count} attempts have ended on the pool without an error left unhandled (a route that failed
     * is logged and leaves the delivery to the schedule: that is not an outcome a test may pass on).
     */
    private NotifyBuilder attempts(int count) {
        return new NotifyBuilder(context).fromRoute("attempt-delivery").whenCompleted(count).create();
    }
}
