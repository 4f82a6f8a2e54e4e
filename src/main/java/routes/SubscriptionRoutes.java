package routes;

import static api.Http.pathId;
import static api.Http.readJson;
import static api.Http.readOptionalJson;
import static api.Http.reply;

import enrollment.Answers.Status;
import notify.ReplayRequest;
import notify.SubscribeRequest;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.redis.RedisConstants;

/**
 * Subscriptions and their secrets (API.md "Notifications") and the registrar's dead letters; REST surface in
 * camel/notify.yaml.
 */
public class SubscriptionRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:subscribe").routeId("subscribe-to-class")
                .process(pathId("classId"))
                .process(readOptionalJson(SubscribeRequest.class))
                .bean("subscriptions", "validate")
                .setProperty("targets", body())
                .bean("catalog", "get(${header.classId})")
                .setBody(exchangeProperty("targets"))
                .bean("subscriptions", "subscribe(${exchangeProperty.caller.id}, ${header.classId}, ${body})")
                .choice()
                    .when(simple("${body.created}"))
                        .setBody(simple("${body.subscription}"))
                        .process(reply(201))
                    .otherwise()
                        .setBody(simple("${body.subscription}"))
                        .process(reply(200))
                .end();

        from("direct:my-subscriptions").routeId("list-my-subscriptions")
                .bean("subscriptionListing", "of(${exchangeProperty.caller.id})")
                .process(reply(200));

        from("direct:unsubscribe").routeId("unsubscribe-from-class")
                .process(pathId("classId"))
                .bean("subscriptions", "unsubscribe(${exchangeProperty.caller.id}, ${header.classId})")
                .setBody(method(Status.class, "of('unsubscribed', ${header.classId})"))
                .process(reply(200));

        from("direct:rotate-secret").routeId("rotate-webhook-secret")
                .process(pathId("classId"))
                .bean("subscriptions", "rotateSecret(${exchangeProperty.caller.id}, ${header.classId})")
                .process(reply(200));

        from("direct:dead-letters").routeId("list-dead-letters")
                .setHeader(RedisConstants.KEY, method("deliveries", "deadLettersKey"))
                .to("spring-redis:{{redis.address}}?command=HVALS").id("read-dead-letters")
                .bean("deliveries", "deadLetters")
                .process(reply(200));

        from("direct:replay-dead-letter").routeId("replay-dead-letter")
                .bean("deliveries", "replay(${header.id})")
                .process(reply(202));

        from("direct:replay-dead-letters").routeId("replay-dead-letters")
                .process(readJson(ReplayRequest.class))
                .bean("deliveries", "replayMatching")
                .process(reply(202));
    }
}
