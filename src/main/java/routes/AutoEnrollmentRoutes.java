package routes;

import enrollment.AutoEnrollment;
import enrollment.Classes;
import enrollment.Enrollments.Outcome;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * A freed seat goes to the first student waiting, within seconds, unless the registrar froze automatic enrollment;
 * no HTTP request waits for it (docs/api.md: "the drop's answer does not wait for it").
 *
 * <p>Whatever frees a seat (a drop, an administrative drop, a larger capacity, unfreezing) only records a promotion
 * request in Redis and hands the class to this instance's promoters ({@code seda:}). A promoter takes the class's
 * turn, a lease renewed at every step, so one holder across all instances promotes a class's students, in arrival
 * order; it concludes when no request came during its pass (enrollment/PromotionRequests). A holder that dies
 * stops renewing: its request falls due when the lease lapses and the poller of any live instance takes it over,
 * first finishing the promotions it left in flight. A sweep requests promotions where seats and lists disagree (a
 * crash between the drop's DynamoDB transaction and its request). Each promotion takes the student off the list
 * into an in-flight entry (Redis), enrolls them (DynamoDB), then ends the entry; the next holder or the repair route
 * finishes one a crash interrupted, so a seat moves exactly one student. In a class whose waiting-list mode is
 * {@code offer} the same step offers the seat instead of enrolling (routes/OfferRoutes takes it from there).
 */
public class AutoEnrollmentRoutes extends RouteBuilder {

    @BeanInject
    private Classes classes;
    @BeanInject
    private AutoEnrollment autoEnrollment;

    /** This instance's promoters; a full queue drops the hand-off, and the poller picks the request up instead. */
    private static final String PROMOTERS = "seda:promote-class?waitForTaskToComplete=Never&discardWhenFull=true";

    @Override
    public void configure() {
        // what a drop (or anything else that may free a seat) waits for: one Redis script, then the hand-off
        from("direct:request-promotion").routeId("request-promotion")
                .filter(method("promotionRequests", "request(${header.classId})"))
                    .setBody(header("classId"))
                    .to(PROMOTERS).id("hand-to-promoters")
                .end();

        from("timer:poll-promotion-requests?period={{promotion.poll-period}}").routeId("pick-up-due-promotion-requests")
                .routeConfigurationId("background")
                .split(method("promotionRequests", "due(100)"))
                    .to(PROMOTERS)
                .end();

        // A failure leaves the turn to lapse and the request to fall due again, as a crash would.
        from("seda:promote-class?concurrentConsumers={{promotion.promoters}}").routeId("promote-requested-class")
                .routeConfigurationId("background")
                .setHeader("classId", body())
                .setProperty("turn", method("promotionRequests", "take(${header.classId}, {{promotion.lease}})"))
                .loopDoWhile(exchangeProperty("turn").isNotNull())
                    .to("direct:promote-class")
                    .setProperty("turn", method("promotionRequests", "conclude(${exchangeProperty.turn})"))
                .end();

        // One pass of the turn's holder: first what an earlier holder left in flight (they came first), then, unless
        // frozen, the first waiting student into each free seat.
        from("direct:promote-class").routeId("promote-class")
                .split(method("waitlists", "inFlight(${header.classId})"))
                    .to("direct:finish-promotion")
                .end()
                .to("direct:read-auto-enrollment")
                .filter(simple("${body.enabled}"))
                    .to("direct:promote-while-seats-free")
                .end();

        from("timer:sweep-promotions?period={{promotion.sweep-period}}")
                .routeId("request-promotions-where-seats-and-lists-disagree")
                .routeConfigurationId("background")
                .to("direct:read-auto-enrollment")
                .filter(simple("${body.enabled}"))
                    .setBody(method("waitlists", "classesWithStudentsWaiting"))
                    .split(simple("${collate(100)}"))
                        .setBody(e -> classes.withFreeSeat(e.getMessage().getBody(List.class)))
                            .id("get-waiting-class-rows")
                        .split(body())
                            .setHeader("classId", body())
                            .to("direct:request-promotion")
                        .end()
                    .end()
                .end();

        // the switch's row: consistent, so a registrar's freeze holds for the very next seat freed
        from("direct:read-auto-enrollment").routeId("read-auto-enrollment")
                .setBody(e -> autoEnrollment.read()).id("get-auto-enrollment-row");

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
                .bean("waitlists", "beginPromotion(${exchangeProperty.turn})")
                .choice()
                    .when(body().isNull())
                        .setProperty("promoted", constant(false))
                    .otherwise()
                        .to("direct:finish-promotion")
                        .setProperty("promoted", body())
                .end();

        // A promotion of a class removed since it began ends with nobody enrolled: no seat to take, no list to go back to.
        from("direct:finish-promotion").routeId("finish-promotion")
                .setProperty("promotion", body())
                .setHeader("classId", simple("${body.classId}"))
                .to("direct:find-class")
                .choice()
                    .when(body().isNull())
                        .to("direct:end-promotion-of-removed-class")
                    .otherwise()
                        .setProperty("course", body())
                        .setBody(exchangeProperty("promotion"))
                        .to("direct:promote-into-class")
                .end();

        // the class's mode decides: enroll the student (auto) or hold the seat for them (offer, enrollment/Offers)
        from("direct:promote-into-class").routeId("promote-into-class")
                .choice()
                    .when(simple("${exchangeProperty.course.waitlistMode} == 'offer'"))
                        .setProperty("event", method("events", "seatOffered(${body}, ${exchangeProperty.course}, "
                                + "${bean:offers?method=deadline(${exchangeProperty.course})})"))
                        .bean("offers", "offer(${body.classId}, ${body.studentId}, ${body.name}, ${exchangeProperty.event})")
                    .endChoice()
                    .otherwise()
                        .setProperty("event", method("events", "enrolled(${body}, ${exchangeProperty.course})"))
                        .bean("enrollments", "enroll(${body.classId}, ${body.studentId}, ${body.name}, ${exchangeProperty.event})")
                .end()
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .bean("classViews", "classChanged(${exchangeProperty.promotion.classId})")
                        .filter(simple("${exchangeProperty.course.waitlistMode} == 'offer'"))
                            .bean("waitlists", "offersChanged(${exchangeProperty.promotion.classId})")
                        .end()
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
                    .otherwise()  // no seat after all, or the class was removed after it was read
                        .to("direct:find-class")
                        .choice()
                            .when(body().isNull())
                                .to("direct:end-promotion-of-removed-class")
                            .otherwise()
                                .setBody(exchangeProperty("promotion"))
                                .bean("waitlists", "restore")
                                .setBody(constant(false))
                        .end()
                .end();

        from("direct:end-promotion-of-removed-class").routeId("end-promotion-of-removed-class")
                .setBody(exchangeProperty("promotion"))
                .bean("waitlists", "discard")
                .setBody(constant(false));

        from("timer:repair-promotions?period={{promotion.repair-period}}").routeId("repair-interrupted-promotions")
                .routeConfigurationId("background")
                .split(method("waitlists", "stalePromotions({{promotion.repair-after}})"))
                    .to("direct:finish-promotion")
                .end();

        from("direct:request-every-waiting-class").routeId("request-promotions-of-every-waiting-class")
                .split(method("waitlists", "classesWithStudentsWaiting"))
                    .setHeader("classId", body())
                    .to("direct:request-promotion")
                .end();
    }
}
