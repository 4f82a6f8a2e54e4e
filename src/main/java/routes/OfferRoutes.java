package routes;

import static api.Http.pathId;
import static api.Http.reply;

import enrollment.Answers.Status;
import enrollment.Enrollments.Outcome;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/**
 * Seat offers after they are made (docs/api.md "Seat offers"; the promoter makes them, routes/AutoEnrollmentRoutes): the
 * student lists, accepts or declines theirs, and a sweep ends those past their deadline. Declining and lapsing pass
 * the seat on by requesting a promotion of the class, as a drop does; the deletion of the offer row in the same
 * DynamoDB transaction as the seat counts (enrollment/Offers) is the claim, so of racing accepts, declines and
 * expiries on any number of instances exactly one ends an offer, and only that one passes its seat on. The offers of
 * a removed class end with it (routes/RegistrarRoutes), passing nothing on.
 */
public class OfferRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:list-my-offers").routeId("list-my-offers")
                .bean("offers", "ofStudent(${exchangeProperty.caller.id})")
                .bean("catalog", "offersOf")
                .process(reply(200));

        // accepted whatever the registration window (the offer came while they waited), but not with a hold
        from("direct:accept-offer").routeId("accept-offer")
                .process(pathId("classId"))
                .setProperty("registration", method("registrations", "of(${exchangeProperty.caller.id})"))
                .bean(enrollment.RegistrationStatus.class, "requireNoHold(${exchangeProperty.registration})")
                .filter(method("offers", "find(${header.classId}, ${exchangeProperty.caller.id})").isNull())
                    .throwException(ProblemException.notFound("no-offer", "you have no open offer of a seat in this class"))
                .end()
                .setProperty("event", method("events", "offerAccepted(${exchangeProperty.caller.id}, "
                        + "${exchangeProperty.caller.name}, ${bean:classes?method=get(${header.classId})})"))
                .bean("offers", "accept(${header.classId}, ${exchangeProperty.caller.id}, ${exchangeProperty.caller.name}, "
                        + "${exchangeProperty.event})")
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .to("direct:offers-changed")
                        .setBody(exchangeProperty("event"))
                        .wireTap("direct:publish-event")
                        .setBody(method(Status.class, "of('enrolled', ${header.classId})"))
                        .process(reply(201))
                    .endChoice()
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .throwException(ProblemException.conflict("already-enrolled", "you are enrolled in this class"))
                    .otherwise()  // lapsed, or ended by a racing request, since it was read
                        .throwException(ProblemException.notFound("no-offer", "you have no open offer of a seat in this class"))
                .end();

        from("direct:decline-offer").routeId("decline-offer")
                .process(pathId("classId"))
                .filter(method("offers", "decline(${header.classId}, ${exchangeProperty.caller.id})").isEqualTo(false))
                    .throwException(ProblemException.notFound("no-offer", "you have no open offer of a seat in this class"))
                .end()
                .to("direct:offers-changed")
                .to("direct:request-promotion")
                .setBody(method(Status.class, "of('declined', ${header.classId})"))
                .process(reply(200));

        // every instance sweeps; the conditional delete lets one of them end each lapsed offer
        from("timer:expire-offers?period={{offers.sweep-period}}").routeId("expire-lapsed-offers")
                .routeConfigurationId("background")
                .split(method("offers", "lapsed(100)"))
                    .to("direct:expire-offer")
                .end();

        from("direct:expire-offer").routeId("expire-offer")
                .setProperty("offer", body())
                .setHeader("classId", simple("${body.classId}"))
                .to("direct:find-class")
                .choice()
                    .when(body().isNull())  // its class's removal stopped before ending it (a crash): end it now
                        .bean("offers", "withdraw(${exchangeProperty.offer})")
                    .otherwise()
                        .to("direct:end-lapsed-offer")
                .end();

        from("direct:end-lapsed-offer").routeId("end-lapsed-offer")
                .setProperty("event", method("events", "offerExpired(${exchangeProperty.offer}, ${body})"))
                .filter(method("offers", "expire(${exchangeProperty.offer}, ${exchangeProperty.event})"))
                    .to("direct:offers-changed")
                    .setBody(exchangeProperty("event"))
                    .wireTap("direct:publish-event")
                    .to("direct:request-promotion")
                .end();

        // the class answer shows offered, the instructor's list shows the offers: both caches move on
        from("direct:offers-changed").routeId("offers-changed")
                .bean("classViews", "classChanged(${header.classId})")
                .bean("waitlists", "offersChanged(${header.classId})");
    }
}
