package routes;

import static org.apache.camel.support.builder.ExpressionBuilder.exchangeExpression;

import event.Event;
import event.Outbox;
import java.util.Date;
import json.Json;
import notify.DeadLetters;
import notify.Deliveries;
import notify.Delivery;
import notify.Destinations;
import notify.Destinations.Admission;
import notify.EmailMessage;
import notify.Events;
import notify.Outcome;
import notify.Parking;
import notify.RetrySchedule;
import notify.Subscriptions;
import notify.UnreadableEventException;
import notify.WebhookRequest;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * The notification pipeline, from the outbox to the receiver, in the order an event travels (docs/architecture.md
 * "The delivery design"; the shape of Svix's worker: prepare the request, send it, record the outcome):
 *
 * <ol>
 * <li>{@code publish-event}: an event to the {@code notify} fanout exchange (and {@code publish-pending-events},
 * the outbox's sweep for the events the broker missed);</li>
 * <li>{@code deliver-email}, {@code deliver-webhook}: one route template, {@code deliver}, on each queue: the event
 * read, its deliveries taken in (pending in Redis) and handed on, then the message acknowledged;</li>
 * <li>{@code queue-attempt}: parked at once when the target is hanging, else to the attempt pool;</li>
 * <li>{@code attempt-delivery}: the pool; admission per target and host, the attempt begun (leased, circuit
 * checked);</li>
 * <li>{@code attempt-once}: the email or the signed webhook sent, and what happened made an {@link Outcome};</li>
 * <li>{@code record-outcome}: delivered, the webhook gone, due again on the schedule, or a dead letter;</li>
 * <li>{@code retry-due-deliveries}: the schedule's due deliveries back to the pool.</li>
 * </ol>
 *
 * Each step calls its bean through a typed field that Camel injects by type ({@code @BeanInject}): the compiler
 * follows every call. Errors are handled once, by route configurations "background" and "outcome"
 * (BackgroundRouteConfiguration).
 */
public class NotificationRoutes extends RouteBuilder {

    static final String NOTIFY_EXCHANGE = "spring-rabbitmq:notify?exchangeType=fanout&confirm=enabled"
            + "&confirmTimeout={{notify.confirm-timeout}}&skipDeclareQueue=true";
    /**
     * A queue of the {@code notify} exchange ({@code {{queue}}}, a template parameter). Exchange, queues (classic or
     * quorum: {@code NOTIFY_QUEUE_TYPE}) and bindings are declared at start-up, not here. A message is acknowledged
     * once its deliveries are safe; a failed one is tried again with a back-off, then requeued, never acknowledged
     * (store/Requeue.java).
     */
    static final String NOTIFY_QUEUE = "spring-rabbitmq:notify?queues={{queue}}&exchangeType=fanout"
            + "&autoDeclare=false&concurrentConsumers={{consumers}}&prefetchCount=20&acknowledgeMode=AUTO"
            + "&retry=#requeueWithBackOff";
    /** TLS, trust, credentials and time-outs are in the session (store/Smtp.java); connections stay open. */
    static final String MAIL_RELAY = "{{notify.smtp-protocol}}://{{notify.smtp-host}}:{{notify.smtp-port}}"
            + "?javaMailSender=#smtpConnections";
    /**
     * Redirects are not followed, the target is checked again when connecting (notify/WebhookConnections), and the
     * attempt ends within 15 s whatever the target does (notify/WebhookDeadline).
     */
    static final String WEBHOOK_TARGET = "http://webhook-target?throwExceptionOnFailure=false&followRedirects=false"
            + "&clientConnectionManager=#webhookConnections&httpClientConfigurer=#webhookDeadline";
    static final String ATTEMPT_POOL = "seda:attempts?concurrentConsumers={{notify.attempt-threads}}"
            + "&size={{notify.attempt-backlog}}&blockWhenFull=true";

    /** Exchange properties the attempt carries from step to step. */
    static final String DELIVERY = "delivery";
    static final String OUTCOME = "outcome";
    /** When the attempt's lease began (epoch ms): route configuration "outcome" records it while the lease holds. */
    static final String LEASED_AT = "leasedAt";

    @BeanInject
    Outbox outbox;
    @BeanInject
    Events events;
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
    /** The most attempts in flight to a target that answers quickly. */
    @PropertyInject("notify.attempts-per-target")
    int attemptsPerTarget;
    /** How often, and after how long, the outbox is swept for events the broker missed (ms). */
    @PropertyInject("notify.outbox-period")
    long outboxPeriod;

    @Override
    public void configure() {
        publishEvents();
        takeDeliveriesIn();
        attemptDeliveries();
    }

    private void publishEvents() {
        from("direct:publish-events").routeId("publish-events").routeConfigurationId("background")
                .split(body())
                    .to("direct:publish-event")
                .end();

        // AMQP properties a third-party consumer can dedupe and dispatch by (docs/api.md "Events")
        from("direct:publish-event").routeId("publish-event").routeConfigurationId("background")
                .setProperty("event", body())
                .removeHeaders("*")
                .setHeader(SpringRabbitMQConstants.MESSAGE_ID, exchangeExpression(e -> event(e).id()))
                .setHeader(SpringRabbitMQConstants.TYPE, exchangeExpression(e -> event(e).type()))
                .setHeader(SpringRabbitMQConstants.TIMESTAMP, exchangeExpression(e -> Date.from(event(e).occurredAt())))
                .setHeader(SpringRabbitMQConstants.CONTENT_TYPE, constant("application/json"))
                .setHeader(SpringRabbitMQConstants.DELIVERY_MODE, constant(MessageDeliveryMode.PERSISTENT))
                .setBody(e -> Json.write(event(e)))
                .to(NOTIFY_EXCHANGE)
                .process(e -> outbox.markPublished(event(e)));

        from("timer:outbox?period={{notify.outbox-period}}").routeId("publish-pending-events")
                .routeConfigurationId("background")
                .setBody(e -> outbox.pending(100, outboxPeriod))
                .split(body())
                    .to("direct:publish-event")
                .end();
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
                .from(NOTIFY_QUEUE).routeConfigurationId("background")
                .setProperty("queue", constant("{{queue}}"))
                // a message that is not a readable event (not JSON, JSON null, wrong fields or types) is parked as a
                // dead letter of channel `unreadable` with its body, logged in one line and acknowledged: it never
                // blocks the queue
                .doTry()
                    .setBody(e -> events.read(e.getMessage().getBody(String.class)))
                .doCatch(UnreadableEventException.class)
                    .setProperty("reason", exchangeExpression(e -> e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                    .setBody(e -> deadLetters.addUnreadable(e.getMessage().getBody(byte[].class), queue(e),
                            e.getProperty("reason", String.class)))
                    .log(LoggingLevel.WARN, "parked a message of queue ${exchangeProperty.queue} as dead letter "
                            + "${body}: ${exchangeProperty.reason}")
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
                        .to("seda:attempts")
                .end();

        // Every attempt runs on one pool, whether it comes from a queue or from the schedule. A target (a callback
        // URL, or the mail relay) holds as many of its threads as notify/Destinations admits (one while it does not
        // answer quickly), within its host's ceiling; the rest of its deliveries are parked in Redis until an
        // attempt to it ends (or postponed a second when the host is full), not queued behind it, so every other
        // target, on the same host or not, finds a thread.
        from(ATTEMPT_POOL).routeId("attempt-delivery").routeConfigurationId("background")
                .setProperty("admission", exchangeExpression(e -> destinations.admit(e, attemptsPerTarget)))
                .choice()
                    .when(exchangeProperty("admission").isEqualTo(Admission.GO))
                        // the lease begin takes runs from here: its outcome must be recorded within it
                        .setProperty(LEASED_AT, exchangeExpression(e -> System.currentTimeMillis()))
                        .setBody(e -> deliveries.begin(delivery(e)))
                        // null: already delivered, being attempted elsewhere, or its circuit is open (postponed)
                        .filter(body().isNotNull())
                            .setProperty(DELIVERY, body())
                            .setProperty("startedAt", exchangeExpression(e -> System.currentTimeMillis()))
                            .to("direct:attempt-once")
                            .setBody(e -> destinations.ended(delivery(e).destination(),
                                    e.getProperty("startedAt", Long.class)))
                            .filter(e -> e.getMessage().getBody(Integer.class) > 0)
                                .process(e -> parking.unpark(delivery(e).destination(),
                                        e.getMessage().getBody(Integer.class)))
                            .end()
                        .endChoice()
                    .when(exchangeProperty("admission").isEqualTo(Admission.PARK))
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
                            .to(MAIL_RELAY).id("send-email")
                            .setBody(e -> Outcome.delivered())
                        .otherwise()
                            .process(webhookRequest::prepare)
                            .to(WEBHOOK_TARGET).id("send-webhook")
                            .setBody(Outcome::ofWebhookAnswer)
                    .end()
                .endDoTry()
                .doCatch(Exception.class)
                    .setBody(Outcome::ofFailedAttempt)
                .end()
                .setProperty(OUTCOME, body())
                .setBody(exchangeProperty(DELIVERY))
                .to("direct:record-outcome");

        // What the target answered is a fact the service must not lose: a store that fails here is tried again,
        // with a back-off, for as long as the attempt's lease holds (route configuration "outcome"), so that a
        // success is never followed by a second send because Redis blinked.
        from("direct:record-outcome").routeId("record-outcome").routeConfigurationId("outcome")
                .setProperty("retryAt", exchangeExpression(e -> outcome(e).kind() == Outcome.Kind.RETRY
                        ? retrySchedule.nextAttemptAt(delivery(e), outcome(e), System.currentTimeMillis()) : null))
                .choice()
                    .when(e -> outcome(e).kind() == Outcome.Kind.DELIVERED)
                        .process(e -> deliveries.delivered(delivery(e)))
                    .when(e -> outcome(e).kind() == Outcome.Kind.GONE)
                        .process(e -> subscriptions.disableWebhook(delivery(e).event().studentId(),
                                delivery(e).event().classId()))
                        .process(e -> deliveries.forget(delivery(e)))
                    .when(exchangeProperty("retryAt").isNotNull())
                        .process(e -> deliveries.failed(delivery(e), e.getProperty("retryAt", Long.class)))
                    .otherwise()
                        // failed for good, or the schedule is used up
                        .process(e -> deadLetters.add(delivery(e), outcome(e).error()))
                        .process(e -> deliveries.forget(delivery(e)))
                .end();

        // The schedule's due deliveries (retries, unparked ones, and those whose attempt was lost with its
        // instance), claimed by whichever instance comes first, go to the same pool.
        from("timer:retries?period={{notify.retry-poll-period}}").routeId("retry-due-deliveries")
                .routeConfigurationId("background")
                .setBody(e -> deliveries.claimDue(500))
                .split(body())
                    .to("direct:queue-attempt")
                .end();
    }

    private static Event event(Exchange exchange) {
        return exchange.getProperty("event", Event.class);
    }

    private static String queue(Exchange exchange) {
        return exchange.getProperty("queue", String.class);
    }

    /** The delivery in the body (before the attempt begins) or, once it has begun, the one attempted. */
    private static Delivery delivery(Exchange exchange) {
        Delivery attempted = exchange.getProperty(DELIVERY, Delivery.class);
        return attempted != null ? attempted : exchange.getMessage().getBody(Delivery.class);
    }

    private static Outcome outcome(Exchange exchange) {
        return exchange.getProperty(OUTCOME, Outcome.class);
    }
}
