package routes;

import event.Event;
import event.Outbox;
import java.util.Date;
import json.Json;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.dsl.SpringRabbitMQEndpointBuilderFactory.SpringRabbitMQEndpointProducerBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;
import store.Tables;

/**
 * Events from the outbox to the {@code notify} fanout exchange (docs/architecture.md "The delivery design"): every
 * flow that changes something writes its events into the outbox in the same DynamoDB transaction (event/Outbox), then
 * hands them to {@code publish-event} (or {@code publish-events}); {@code publish-pending-events} sweeps the outbox
 * for the events the broker missed (an instance that died between the two, a broker that was down). A confirmed
 * event leaves the outbox's {@code pending} index. Errors are handled by route configuration "background".
 */
public class EventRoutes extends EndpointRouteBuilder {

    /** How many events one sweep of the outbox publishes at most. */
    private static final int SWEEP_BATCH = 100;

    @BeanInject
    Tables tables;
    /** How often, and after how long, the outbox is swept for events the broker missed (ms). */
    @PropertyInject("notify.outbox-period")
    long outboxPeriod;

    /**
     * The {@code notify} fanout exchange, waiting for the broker's confirm. Exchange, queues and bindings are declared
     * at start-up, not here.
     */
    private SpringRabbitMQEndpointProducerBuilder notifyExchange() {
        SpringRabbitMQEndpointProducerBuilder exchange = springRabbitmq("notify");
        return exchange.confirm("enabled").confirmTimeout("{{notify.confirm-timeout}}").skipDeclareQueue(true);
    }

    @Override
    public void configure() {
        from("direct:publish-events").routeId("publish-events").routeConfigurationId("background")
                .split(body())
                    .to("direct:publish-event")
                .end();

        // AMQP properties a third-party consumer can dedupe and dispatch by (docs/api.md "Events"); the body is the
        // event's JSON, written by camel-jackson with the service's one mapper
        from("direct:publish-event").routeId("publish-event").routeConfigurationId("background")
                .removeHeaders("*")
                .setHeader(SpringRabbitMQConstants.MESSAGE_ID).exchange(e -> event(e).id())
                .setHeader(SpringRabbitMQConstants.TYPE).exchange(e -> event(e).type())
                .setHeader(SpringRabbitMQConstants.TIMESTAMP).exchange(e -> Date.from(event(e).occurredAt()))
                .setHeader(SpringRabbitMQConstants.CONTENT_TYPE, constant("application/json"))
                .setHeader(SpringRabbitMQConstants.DELIVERY_MODE, constant(MessageDeliveryMode.PERSISTENT))
                .marshal(Json.format(Event.class))
                .to(notifyExchange()).id("publish-to-notify-exchange")
                .setHeader(Ddb2Constants.KEY).exchange(e -> Outbox.key(e.getMessage().getHeader(SpringRabbitMQConstants.MESSAGE_ID,
                        String.class)))
                .setHeader(Ddb2Constants.UPDATE_VALUES).exchange(e -> Outbox.published(System.currentTimeMillis()))
                .to(aws2Ddb(tables.outbox()).operation(Ddb2Operations.UpdateItem)).id("mark-event-published");

        // the oldest pending events past one period: the flow that wrote a younger one is still publishing it
        from(timer("outbox").period("{{notify.outbox-period}}")).routeId("publish-pending-events")
                .routeConfigurationId("background")
                .setHeader(Ddb2Constants.INDEX_NAME, constant("pending"))
                .setHeader(Ddb2Constants.KEY_CONDITIONS).exchange(e -> Outbox.pendingBefore(System.currentTimeMillis() - outboxPeriod))
                .setHeader(Ddb2Constants.LIMIT, constant(SWEEP_BATCH))
                .to(aws2Ddb(tables.outbox()).operation(Ddb2Operations.Query)).id("query-pending-events")
                .setBody(e -> Outbox.events(DynamoDbResults.items(e)))
                .to("direct:publish-events");
    }

    private static Event event(Exchange exchange) {
        return exchange.getMessage().getBody(Event.class);
    }
}
