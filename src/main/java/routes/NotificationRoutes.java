package routes;

import java.util.Date;
import notify.Delivery;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * Events from the outbox to the {@code notify} fanout exchange, and each delivery attempt to its outcome. The
 * queue consumers and the SMTP / HTTP steps are in camel/delivery.yaml, where operators tune them.
 */
public class NotificationRoutes extends RouteBuilder {

    static final String NOTIFY_EXCHANGE = "spring-rabbitmq:notify?exchangeType=fanout&confirm=enabled"
            + "&confirmTimeout={{notify.confirm-timeout}}&skipDeclareQueue=true";

    @Override
    public void configure() {
        from("direct:publish-events").routeId("publish-events").routeConfigurationId("background")
                .split(body())
                    .to("direct:publish-event")
                .end();

        // AMQP properties a third-party consumer can dedupe and dispatch by (API.md "Events")
        from("direct:publish-event").routeId("publish-event").routeConfigurationId("background")
                .setProperty("event", body())
                .removeHeaders("*")
                .setHeader(SpringRabbitMQConstants.MESSAGE_ID, simple("${body.id}"))
                .setHeader(SpringRabbitMQConstants.TYPE, simple("${body.type}"))
                .setHeader(SpringRabbitMQConstants.TIMESTAMP, method(Date.class, "from(${body.occurredAt})"))
                .setHeader(SpringRabbitMQConstants.CONTENT_TYPE, constant("application/json"))
                .setHeader(SpringRabbitMQConstants.DELIVERY_MODE, constant(MessageDeliveryMode.PERSISTENT))
                .transform(method(json.Json.class, "write"))
                .to(NOTIFY_EXCHANGE)
                .setBody(exchangeProperty("event"))
                .bean("outbox", "markPublished");

        from("timer:outbox?period={{notify.outbox-period}}").routeId("publish-pending-events")
                .routeConfigurationId("background")
                .setBody(method("outbox", "pending(100, {{notify.outbox-period}})"))
                .split(body())
                    .to("direct:publish-event")
                .end();

        // Every attempt runs on one pool, whether it comes from a queue or from the schedule. A target (a callback
        // URL, or the mail relay) holds as many of its threads as notify/Destinations admits (one while it does not
        // answer quickly), within its host's ceiling; the rest of its deliveries are parked in Redis until an
        // attempt to it ends (or postponed a second when the host is full), not queued behind it, so every other
        // target, on the same host or not, finds a thread.
        from("seda:attempts?concurrentConsumers={{notify.attempt-threads}}&size={{notify.attempt-backlog}}"
                + "&blockWhenFull=true").routeId("attempt-delivery").routeConfigurationId("background")
                .setProperty("admission", method("destinations", "admit(*, {{notify.attempts-per-target}})"))
                .choice()
                    .when(simple("${exchangeProperty.admission} == 'GO'"))
                        .bean("deliveries", "begin")
                        .filter(body().isNotNull())
                            .setProperty("startedAt", method(System.class, "currentTimeMillis"))
                            .to("direct:attempt-once")
                            .setBody(method("destinations", "ended(${exchangeProperty.delivery.destination}, "
                                    + "${exchangeProperty.startedAt})"))
                            .filter(simple("${body} > 0"))
                                .bean("deliveries", "unpark(${exchangeProperty.delivery.destination}, ${body})")
                            .end()
                        .endChoice()
                    .when(simple("${exchangeProperty.admission} == 'PARK'"))
                        .bean("deliveries", "park")
                    .otherwise()
                        .bean("deliveries", "postpone")
                .end();

        from("direct:attempt-once").routeId("attempt-once").routeConfigurationId("background")
                .setProperty("delivery", body())
                .choice()
                    .when(simple("${body.channel} == '" + Delivery.EMAIL + "'"))
                        .to("direct:send-email")
                    .otherwise()
                        .to("direct:send-webhook")
                .end()
                .setProperty("outcome", body())
                .setBody(exchangeProperty("delivery"))
                .choice()
                    .when(simple("${exchangeProperty.outcome.kind} == 'DELIVERED'"))
                        .bean("deliveries", "delivered")
                    .when(simple("${exchangeProperty.outcome.kind} == 'GONE'"))
                        .bean("subscriptions", "disableWebhook(${body.event.studentId}, ${body.event.classId})")
                        .bean("deliveries", "forget")
                    .when(simple("${exchangeProperty.outcome.kind} == 'PERMANENT_FAILURE'"))
                        .bean("deliveries", "deadLetter(${body}, ${exchangeProperty.outcome})")
                    .otherwise()
                        .bean("deliveries", "failed(${body}, ${exchangeProperty.outcome})")
                .end();

        // The schedule's due deliveries (retries, unparked ones, and those whose attempt was lost with its
        // instance), claimed by whichever instance comes first, go to the same pool.
        from("timer:retries?period={{notify.retry-poll-period}}").routeId("retry-due-deliveries")
                .routeConfigurationId("background")
                .setBody(method("deliveries", "claimDue(500)"))
                .split(body())
                    .to("direct:queue-attempt")
                .end();

        // A delivery whose target would turn it away now is parked at once: deliveries to a hanging target never
        // queue in front of the pool, where they would delay everyone else's.
        from("direct:queue-attempt").routeId("queue-attempt").routeConfigurationId("background")
                .choice()
                    .when(method("destinations", "wouldTurnAway(${body.destination})"))
                        .bean("deliveries", "park")
                    .otherwise()
                        .to("seda:attempts")
                .end();
    }
}
