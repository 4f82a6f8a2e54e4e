package routes;

import event.Event;
import event.Events;
import event.UnreadableEventException;
import notify.Attempt;
import notify.DeadLetters;
import notify.Deliveries;
import notify.Delivery;
import notify.Destinations;
import notify.Destinations.Admission;
import notify.EmailMessage;
import notify.Outcome;
import notify.Parking;
import notify.RetrySchedule;
import notify.Subscriptions;
import notify.WebhookDeadline;
import notify.WebhookRequest;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.EndpointConsumerBuilder;
import org.apache.camel.builder.EndpointProducerBuilder;
import org.apache.camel.builder.endpoint.dsl.MailEndpointBuilderFactory.MailEndpointProducerBuilder;
import org.apache.camel.builder.endpoint.dsl.SedaEndpointBuilderFactory.SedaEndpointConsumerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import store.SmtpConnections;

/**
 * The notification pipeline, from the queues to the receiver (the events come from routes/EventRoutes), in the order an event travels (docs/architecture.md
 * "The delivery design"; the shape of Svix's worker: prepare the request, send it, record the outcome):
 *
 * <ol>
 * <li>{@code deliver-email}, {@code deliver-webhook}: one route template, {@code deliver}, on each queue: the event
 * read, its deliveries taken in (pending in Redis) and handed on, then the message acknowledged;</li>
 * <li>{@code queue-attempt}: parked at once when the target is hanging, else to the attempt pool;</li>
 * <li>{@code attempt-delivery}: the pool; admission per target and host, the attempt begun (leased, circuit
 * checked): from here the exchange carries it as one typed {@link Attempt};</li>
 * <li>{@code attempt-once}: the email or the signed webhook sent, and what happened made an {@link Outcome};</li>
 * <li>{@code record-outcome}: delivered, the webhook gone, due again on the schedule, or a dead letter;</li>
 * <li>{@code retry-due-deliveries}: the schedule's due deliveries back to the pool.</li>
 * </ol>
 *
 * Each step calls its bean through a typed field that Camel injects by type ({@code @BeanInject}): the compiler
 * follows every call. Errors are handled once, by route configurations "background" and "outcome"
 * (BackgroundRouteConfiguration).
 */
public class NotificationRoutes extends EndpointRouteBuilder {

    @BeanInject
    Subscriptions subscriptions;
    @BeanInject
    Deliveries deliveries;
    @BeanInject
    Parking parking;
    @BeanInject
    DeadLetters deadLetters;
    @BeanInject
    RetrySchedule retrySchedule;
    @BeanInject
    Destinations destinations;
    @BeanInject
    EmailMessage emailMessage;
    @BeanInject
    WebhookRequest webhookRequest;
    @BeanInject
    SmtpConnections smtpConnections;
    @BeanInject
    RetryOperationsInterceptor requeueWithBackOff;
    @BeanInject
    HttpClientConnectionManager webhookConnections;
    @BeanInject
    WebhookDeadline webhookDeadline;
    /** The most attempts in flight to a target that answers quickly. */
    @PropertyInject("notify.attempts-per-target")
    int attemptsPerTarget;
    /** {@code smtp} or {@code smtps} (implicit TLS); STARTTLS is a property of the session (store/Smtp.java). */
    @PropertyInject("notify.smtp-protocol")
    String smtpProtocol;

    /**
     * A queue of the {@code notify} exchange ({@code {{queue}}}, a template parameter). Exchange, queues (classic or
     * quorum: {@code NOTIFY_QUEUE_TYPE}) and bindings are declared at start-up, not here. A message is acknowledged
     * once its deliveries are safe; a failed one is tried again with a back-off, then requeued, never acknowledged
     * (store/Requeue.java).
     */
    private EndpointConsumerBuilder notifyQueue() {
        return springRabbitmq("notify").queues("{{queue}}").exchangeType("fanout").autoDeclare(false)
                .acknowledgeMode("AUTO").advanced().concurrentConsumers("{{consumers}}").prefetchCount(20)
                .retry(requeueWithBackOff);
    }

    /** TLS, trust, credentials and time-outs are in the session (store/Smtp.java); connections stay open. */
    private EndpointProducerBuilder mailRelay() {
        String relay = "{{notify.smtp-host}}:{{notify.smtp-port}}";
        MailEndpointProducerBuilder mail = "smtps".equals(smtpProtocol) ? smtps(relay) : smtp(relay);
        return mail.advanced().javaMailSender(smtpConnections);
    }

    /**
     * Redirects are not followed, the target is checked again when connecting (notify/WebhookConnections), and the
     * attempt ends within 15 s whatever the target does (notify/WebhookDeadline).
     */
    private EndpointProducerBuilder webhookTarget() {
        return http("webhook-target").throwExceptionOnFailure(false).advanced().followRedirects(false)
                .clientConnectionManager(webhookConnections).httpClientConfigurer(webhookDeadline);
    }

    /** The attempt pool's queue: a full one refuses the hand-off, and the message goes back to its queue. */
    private SedaEndpointConsumerBuilder attemptPool() {
        return seda("attempts").size("{{notify.attempt-backlog}}").concurrentConsumers("{{notify.attempt-threads}}");
    }

    @Override
    public void configure() {
        takeDeliveriesIn();
        attemptDeliveries();
    }

    /**
     * The two queues, {@code email} and {@code webhook}, each consumed by route {@code deliver-<queue>} of template
     * {@code deliver}: any number of instances compete for their messages. No consumer ever waits on a target:
     * the attempts run on the pool.
     */
    private void takeDeliveriesIn() {
        routeTemplate("deliver")
                .templateParameter("queue", null, "the queue, also the channel of its deliveries: email or webhook")
                .templateParameter("consumers", null, "competing consumers of this instance")
                .from(notifyQueue()).routeConfigurationId("background")
                .setVariable("queue", constant("{{queue}}"))
                // a message that is not a readable event (not JSON, JSON null, wrong fields or types) is parked as a
                // dead letter of channel `unreadable` with its body, logged in one line and acknowledged: it never
                // blocks the queue
                .doTry()
                    .setBody(e -> Events.read(e.getMessage().getBody(String.class)))
                .doCatch(UnreadableEventException.class)
                    .setBody(e -> deadLetters.addUnreadable(e.getMessage().getBody(byte[].class), queue(e),
                            e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                    .log(LoggingLevel.WARN, "parked a message of queue ${variable.queue} as dead letter "
                            + "${body}: ${exception.message}")
                    .stop()
                .end()
                .setBody(e -> subscriptions.deliveriesOf(e.getMessage().getBody(Event.class), queue(e)))
                .split(body())
                    // pending in Redis from here on, with the retry schedule as its safety net; a delivery that
                    // already succeeded or is already pending (a message delivered twice) is left to the schedule
                    .filter(e -> deliveries.accept(delivery(e)))
                        .to("direct:queue-attempt")
                    .end()
                .end();

        templatedRoute("deliver").routeId("deliver-email")
                .parameter("queue", Delivery.EMAIL).parameter("consumers", "{{notify.email-consumers}}");
        templatedRoute("deliver").routeId("deliver-webhook")
                .parameter("queue", Delivery.WEBHOOK).parameter("consumers", "{{notify.webhook-consumers}}");
    }

    private void attemptDeliveries() {
        // A delivery whose target would turn it away now is parked at once: deliveries to a hanging target never
        // queue in front of the pool, where they would delay everyone else's.
        from("direct:queue-attempt").routeId("queue-attempt").routeConfigurationId("background")
                .choice()
                    .when(e -> destinations.wouldTurnAway(delivery(e).destination()))
                        .process(e -> parking.park(delivery(e)))
                    .otherwise()
                        .to(seda("attempts"))
                .end();

        // Every attempt runs on one pool, whether it comes from a queue or from the schedule. A target (a callback
        // URL, or the mail relay) holds as many of its threads as notify/Destinations admits (one while it does not
        // answer quickly), within its host's ceiling; the rest of its deliveries are parked in Redis until an
        // attempt to it ends (or postponed a second when the host is full), not queued behind it, so every other
        // target, on the same host or not, finds a thread.
        from(attemptPool()).routeId("attempt-delivery").routeConfigurationId("background")
                .setVariable("admission").exchange(e -> destinations.admit(e, attemptsPerTarget))
                .choice()
                    .when(variable("admission").isEqualTo(Admission.GO))
                        // null: already delivered, being attempted elsewhere, or its circuit is open (postponed)
                        .setProperty(Attempt.PROPERTY).exchange(e -> Attempt.begin(delivery(e), deliveries))
                        .filter(exchangeProperty(Attempt.PROPERTY).isNotNull())
                            .setBody(e -> Attempt.of(e).delivery())
                            .to("direct:attempt-once")
                            .setBody(e -> destinations.ended(Attempt.of(e).delivery().destination(),
                                    Attempt.of(e).startedAt()))
                            .filter(e -> e.getMessage().getBody(Integer.class) > 0)
                                .process(e -> parking.unpark(Attempt.of(e).delivery().destination(),
                                        e.getMessage().getBody(Integer.class)))
                            .end()
                        .endChoice()
                    .when(variable("admission").isEqualTo(Admission.PARK))
                        .process(e -> parking.park(delivery(e)))
                    .otherwise()
                        .process(e -> deliveries.postpone(delivery(e)))
                .end();

        // One attempt: the email by SMTP, or the signed POST. Whatever the target answers, or fails to, becomes an
        // Outcome; an exception here is an attempt that got no answer, retried on the schedule.
        from("direct:attempt-once").routeId("attempt-once").routeConfigurationId("background")
                .doTry()
                    .choice()
                        .when(e -> Delivery.EMAIL.equals(delivery(e).channel()))
                            .process(emailMessage::prepare)
                            .to(mailRelay()).id("send-email")
                            .setBody(e -> Outcome.delivered())
                        .otherwise()
                            .process(webhookRequest::prepare)
                            .to(webhookTarget()).id("send-webhook")
                            .setBody(Outcome::ofWebhookAnswer)
                    .end()
                .endDoTry()
                .doCatch(Exception.class)
                    .setBody(Outcome::ofFailedAttempt)
                .end()
                .process(e -> Attempt.of(e).ended(e.getMessage().getBody(Outcome.class), retrySchedule))
                .setBody(e -> Attempt.of(e).delivery())
                .to("direct:record-outcome");

        // What the target answered is a fact the service must not lose: a store that fails here is tried again,
        // with a back-off, for as long as the attempt's lease holds (route configuration "outcome"), so that a
        // success is never followed by a second send because Redis blinked.
        from("direct:record-outcome").routeId("record-outcome").routeConfigurationId("outcome")
                .choice()
                    .when(e -> Attempt.of(e).outcome().kind() == Outcome.Kind.DELIVERED)
                        .process(e -> deliveries.delivered(delivery(e)))
                    .when(e -> Attempt.of(e).outcome().kind() == Outcome.Kind.GONE)
                        .process(e -> subscriptions.disableWebhook(delivery(e).event().studentId(),
                                delivery(e).event().classId()))
                        .process(e -> deliveries.forget(delivery(e)))
                    .when(e -> Attempt.of(e).retryAt() != null)
                        .process(e -> deliveries.failed(delivery(e), Attempt.of(e).retryAt()))
                    .otherwise()
                        // failed for good, or the schedule is used up
                        .process(e -> deadLetters.add(delivery(e), Attempt.of(e).outcome().error()))
                        .process(e -> deliveries.forget(delivery(e)))
                .end();

        // The schedule's due deliveries (retries, unparked ones, and those whose attempt was lost with its
        // instance), claimed by whichever instance comes first, go to the same pool.
        from(timer("retries").period("{{notify.retry-poll-period}}")).routeId("retry-due-deliveries")
                .routeConfigurationId("background")
                .setBody(e -> deliveries.claimDue(500))
                .split(body())
                    .to("direct:queue-attempt")
                .end();
    }

    private static String queue(Exchange exchange) {
        return exchange.getVariable("queue", String.class);
    }

    /** The delivery in the body: the one taken in, or the one attempted ({@link Attempt#delivery()}). */
    private static Delivery delivery(Exchange exchange) {
        return exchange.getMessage().getBody(Delivery.class);
    }
}
