package routes;

import static api.Http.pathId;
import static api.Http.reply;
import static api.Http.utf8Json;
import static org.apache.camel.support.builder.ExpressionBuilder.exchangeExpression;
import static routes.Requests.caller;
import static routes.Requests.classId;

import enrollment.Answers.Status;
import enrollment.Catalog;
import java.util.List;
import json.Json;
import notify.DeadLetters;
import notify.ReplayRequest;
import notify.SubscribeRequest;
import notify.SubscriptionListing;
import notify.Subscriptions;
import notify.Replays;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.redis.Command;
import org.apache.camel.component.redis.RedisConstants;

/**
 * Subscriptions and their secrets (docs/api.md "Notifications") and the registrar's dead letters; REST surface in
 * camel/notify.yaml, each operation's id the name of its route here. Beans are typed fields Camel injects by type.
 */
public class SubscriptionRoutes extends EndpointRouteBuilder {

    @BeanInject
    Subscriptions subscriptions;
    @BeanInject
    SubscriptionListing subscriptionListing;
    @BeanInject
    Catalog catalog;
    @BeanInject
    DeadLetters deadLetters;
    @BeanInject
    Replays replays;

    @Override
    public void configure() {
        from("direct:subscribe").routeId("subscribe")
                .process(pathId("classId"))
                .process(utf8Json())
                // no body is allowed: the targets may come in headers. unmarshal(format, true) would allow it too,
                // but answer a null body with a new message without the request's headers (Camel 4.17)
                .filter(body().isNotNull())
                    .unmarshal(Json.format(SubscribeRequest.class))
                .end()
                .setBody(e -> subscriptions.validate(e.getMessage().getBody(SubscribeRequest.class),
                        e.getMessage().getHeader("email_header", String.class),
                        e.getMessage().getHeader("callback_header", String.class)))
                // 404 class-not-found before anything is stored
                .process(e -> catalog.get(classId(e)))
                .setBody(e -> subscriptions.subscribe(caller(e).id(), classId(e),
                        e.getMessage().getBody(SubscribeRequest.class)))
                .choice()
                    .when(e -> e.getMessage().getBody(Subscriptions.Stored.class).created())
                        .setBody(e -> e.getMessage().getBody(Subscriptions.Stored.class).subscription())
                        .process(reply(201))
                    .otherwise()
                        .setBody(e -> e.getMessage().getBody(Subscriptions.Stored.class).subscription())
                        .process(reply(200))
                .end();

        from("direct:list-subscriptions").routeId("list-subscriptions")
                .setBody(e -> subscriptionListing.of(caller(e).id()))
                .process(reply(200));

        from("direct:unsubscribe").routeId("unsubscribe")
                .process(pathId("classId"))
                .process(e -> subscriptions.unsubscribe(caller(e).id(), classId(e)))
                .setBody(e -> Status.of("unsubscribed", classId(e)))
                .process(reply(200));

        from("direct:rotate-secret").routeId("rotate-secret")
                .process(pathId("classId"))
                .setBody(e -> subscriptions.rotateSecret(caller(e).id(), classId(e)))
                .process(reply(200));

        // the store call is a step of its own, which operators watch in JMX and Hawtio; the gateway names the key
        from("direct:list-dead-letters").routeId("list-dead-letters")
                .setHeader(RedisConstants.KEY, exchangeExpression(e -> deadLetters.key()))
                .to(springRedis("{{redis.address}}").command(Command.HVALS)).id("read-dead-letters")
                .setBody(e -> deadLetters.list(storedLetters(e)))
                .process(reply(200));

        from("direct:replay-dead-letter").routeId("replay-dead-letter")
                .setBody(e -> replays.replay(e.getMessage().getHeader("id", String.class)))
                .process(reply(202));

        from("direct:replay-dead-letters").routeId("replay-dead-letters")
                .process(utf8Json())
                .unmarshal(Json.format(ReplayRequest.class))
                .setBody(e -> replays.replayMatching(e.getMessage().getBody(ReplayRequest.class)))
                .process(reply(202));
    }

    /** HVALS answers a collection of the stored JSON strings. */
    @SuppressWarnings("unchecked")
    private static List<String> storedLetters(Exchange exchange) {
        return List.copyOf((java.util.Collection<String>) exchange.getMessage().getBody(java.util.Collection.class));
    }
}
