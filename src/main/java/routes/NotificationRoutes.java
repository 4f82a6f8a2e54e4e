package routes;

import java.util.Date;
import notify.Delivery;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.apache.camel.builder.RouteBuilder;

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
                .transform(method(app.Json.class, "write"))
                .to(NOTIFY_EXCHANGE)
                .setBody(exchangeProperty("event"))
                .bean("outbox", "markPublished");

        from("timer:outbox?period={{notify.outbox-period}}").routeId("publish-pending-events")
                .routeConfigurationId("background")
                .setBody(method("outbox", "pending(100, {{notify.outbox-period}})"))
                .split(body())
                    .to("direct:publish-event")
                .end();

        from("direct:attempt-delivery").routeId("attempt-delivery").routeConfigurationId("background")
                .bean("deliveries", "begin")
                .filter(body().isNull())
                    .stop()
                .end()
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

        // Due retries are handed to a pool: a target that hangs holds one of its threads for the attempt's time
        // limit, never the timer, so the other targets' retries go out on time.
        from("timer:retries?period={{notify.retry-poll-period}}").routeId("retry-due-deliveries")
                .routeConfigurationId("background")
                .setBody(method("deliveries", "claimDue(100)"))
                .split(body())
                    .to("seda:due-deliveries")
                .end();

        from("seda:due-deliveries?concurrentConsumers={{notify.retry-threads}}").routeId("attempt-due-delivery")
                .routeConfigurationId("background")
                .to("direct:attempt-delivery");
    }
}
