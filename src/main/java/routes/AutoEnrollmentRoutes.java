package routes;

import enrollment.Enrollments.Outcome;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.redis.RedisConstants;
import store.StoreBusyException;

/**
 * A freed seat goes to the first student waiting, at once, unless the registrar froze automatic enrollment.
 * One caller at a time promotes a class's students (the promotion turn), so they move in arrival order. Each
 * promotion takes the student off the list into an in-flight entry (Redis), enrolls them (DynamoDB), then ends
 * the entry; a crash in between is finished by the repair route, so a seat moves exactly one student.
 */
public class AutoEnrollmentRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:fill-seats").routeId("fill-free-seats")
                .to("direct:read-auto-enrollment")
                .filter(simple("${body.enabled}"))
                    .setHeader(RedisConstants.KEY, method("waitlists", "promotionRequestKey(${header.classId})"))
                    .setHeader(RedisConstants.VALUE, constant("1"))
                    .to("spring-redis:{{redis.address}}?command=SET").id("request-promotions")
                    .loopDoWhile(method("waitlists", "takePromotionTurn(${header.classId})"))
                        .doTry()
                            .to("direct:promote-while-seats-free")
                        .doCatch(StoreBusyException.class)
                            // the seat change that called this stands; the student stays in flight for the repair
                            .log(LoggingLevel.WARN, "promotions of class ${header.classId} left to the repair: ${exception.message}")
                        .doFinally()
                            .setHeader(RedisConstants.KEYS, method("waitlists", "promotionTurnKeys(${header.classId})"))
                            .to("spring-redis:{{redis.address}}?command=DEL").id("end-promotion-turn")
                        .end()
                    .end()
                .end();

        // the switch's row: consistent, so a registrar's freeze holds for the very next seat freed
        StoreReads.getItem(from("direct:read-auto-enrollment").routeId("read-auto-enrollment"),
                method("autoEnrollment", "key"),
                "aws2-ddb:{{tables.settings}}?operation=GetItem&consistentRead=true", "get-auto-enrollment-row",
                "autoEnrollment", "fromRow(" + StoreReads.ROW + ")");

        from("direct:promote-while-seats-free").routeId("promote-while-seats-free")
                .setProperty("promoted", constant(true))
                .loopDoWhile(exchangeProperty("promoted").isEqualTo(true))
                    .to("direct:promote-first-waiting")
                .end();

        // Nobody leaves the list without a free seat to take: a promotion begun and restored would move the list's
        // validators twice for an answer that stays byte for byte the same (a registrar's PATCH of the title).
        from("direct:promote-first-waiting").routeId("promote-first-waiting")
                .to("direct:find-class")
                .choice()
                    .when(simple("${body?.hasFreeSeat()} != true"))  // no seat free, or no such class any more
                        .setProperty("promoted", constant(false))
                    .otherwise()
                        .to("direct:begin-promotion")
                .end();

        from("direct:begin-promotion").routeId("begin-promotion")
                .bean("waitlists", "beginPromotion(${header.classId})")
                .choice()
                    .when(body().isNull())
                        .setProperty("promoted", constant(false))
                    .otherwise()
                        .to("direct:finish-promotion")
                        .setProperty("promoted", body())
                .end();

        from("direct:finish-promotion").routeId("finish-promotion")
                .setProperty("promotion", body())
                .setProperty("event", method("events", "enrolled(${body}, ${bean:classes?method=get(${body.classId})})"))
                .bean("enrollments", "enroll(${body.classId}, ${body.studentId}, ${body.name}, ${exchangeProperty.event})")
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .bean("classViews", "classChanged(${exchangeProperty.promotion.classId})")
                        .setBody(exchangeProperty("promotion"))
                        .bean("waitlists", "commit")
                        .setBody(exchangeProperty("event"))
                        .wireTap("direct:publish-event")
                        .setBody(constant(true))
                    .endChoice()
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .setBody(exchangeProperty("promotion"))
                        .bean("waitlists", "commit")
                        .setBody(constant(true))
                    .otherwise()
                        .setBody(exchangeProperty("promotion"))
                        .bean("waitlists", "restore")
                        .setBody(constant(false))
                .end();

        from("timer:repair-promotions?period={{promotion.repair-period}}").routeId("repair-interrupted-promotions")
                .routeConfigurationId("background")
                .split(method("waitlists", "stalePromotions({{promotion.repair-after}})"))
                    .to("direct:finish-promotion")
                .end();

        from("direct:fill-every-class").routeId("fill-every-waiting-class")
                .split(method("waitlists", "classesWithStudentsWaiting"))
                    .setHeader("classId", body())
                    .to("direct:fill-seats")
                .end();
    }
}
