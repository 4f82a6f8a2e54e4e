package routes;

import static api.Http.pathId;
import static api.Http.reply;
import static routes.Requests.caller;
import static routes.Requests.classId;
import static routes.Requests.course;
import static routes.Requests.record;

import enrollment.Answers.Status;
import enrollment.Catalog;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments.Outcome;
import enrollment.Offers;
import enrollment.Offers.Offer;
import enrollment.RegistrationStatus;
import enrollment.Waitlists;
import event.Event;
import event.Events;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import problem.ProblemException;

/**
 * Seat offers after they are made (docs/api.md "Seat offers"; the flow {@code promote} makes them,
 * routes/AutoEnrollmentRoutes): the student lists, accepts or declines theirs, and a timer ends those past their
 * deadline. Declining and lapsing pass the seat on by requesting a promotion of the class, as a drop does; the
 * deletion of the offer row in the same DynamoDB transaction as the seat counts (enrollment/Offers) is the claim, so
 * of racing accepts, declines and expiries on any number of instances exactly one ends an offer, and only that one
 * passes its seat on. The offers of a removed class end with it (routes/RegistrarRoutes), passing nothing on.
 *
 * <p>The REST operations (camel/student.yaml) route to {@code direct:<flow>}; the steps call the gateways Camel
 * injects by type ({@link BeanInject}).
 */
public class OfferRoutes extends EndpointRouteBuilder {

    /** Exchange properties: the offer, its event. */
    private static final String OFFER = "offer";
    private static final String EVENT = "event";

    @BeanInject
    Offers offers;
    @BeanInject
    Catalog catalog;
    @BeanInject
    Classes classes;
    @BeanInject
    ClassViews classViews;
    @BeanInject
    Waitlists waitlists;

    @Override
    public void configure() {
        from("direct:list-my-offers").routeId("list-my-offers")
                .setBody(e -> catalog.offersOf(offers.ofStudent(caller(e).id())))
                .process(reply(200));

        // accepted whatever the registration window (the offer came while they waited), but not with a hold, and
        // only when the registration rules still pass (the offered class is on the schedule since the offer: it never
        // counts against itself); the acceptance conditions on the schedule's version as a seat taken does
        from("direct:accept-offer").routeId("accept-offer")
                .process(pathId("classId"))
                .to("direct:read-student-record")
                .process(e -> RegistrationStatus.requireNoHold(record(e).registration()))
                .filter(e -> offers.find(classId(e), caller(e).id()) == null)
                    .throwException(noOffer())
                .end()
                .to("direct:get-class")
                .setProperty(Requests.COURSE, body())
                .to("direct:check-registration-rules")
                .process(e -> e.setProperty(EVENT, Events.offerAccepted(caller(e).id(), caller(e).name(), classId(e),
                        course(e).title())))
                .setBody(this::accept)
                .loopDoWhile(body().isEqualTo(Outcome.SCHEDULE_CHANGED))
                    .to("direct:read-student-record")
                    .to("direct:check-registration-rules")
                    .setBody(this::accept)
                .end()
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .to("direct:offers-changed")
                        .setBody(exchangeProperty(EVENT))
                        .wireTap("direct:publish-event")
                        .setBody(e -> Status.of("enrolled", classId(e)))
                        .process(reply(201))
                    .endChoice()
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .throwException(ProblemException.conflict("already-enrolled", "you are enrolled in this class"))
                    .otherwise()  // lapsed, or ended by a racing request, since it was read
                        .throwException(noOffer())
                .end();

        from("direct:decline-offer").routeId("decline-offer")
                .process(pathId("classId"))
                .filter(e -> !offers.decline(classId(e), caller(e).id()))
                    .throwException(noOffer())
                .end()
                .to("direct:offers-changed")
                .to("direct:request-promotion")
                .setBody(e -> Status.of("declined", classId(e)))
                .process(reply(200));

        // every instance sweeps; the conditional delete lets one of them end each lapsed offer, and only that one
        // tells the student and passes the seat on
        from(timer("expire-offers").period("{{offers.sweep-period}}")).routeId("expire-lapsed-offers")
                .routeConfigurationId("background")
                .split().exchange(e -> offers.lapsed(100))
                    .process(e -> e.setProperty(OFFER, e.getMessage().getBody(Offer.class)))
                    .process(e -> e.getMessage().setHeader("classId", offer(e).classId()))
                    .setBody(e -> classes.find(offer(e).classId()).orElse(null))
                    .choice()
                        .when(body().isNull())  // its class's removal stopped before ending it (a crash): end it now
                            .process(e -> offers.withdraw(offer(e)))
                        .otherwise()
                            .process(e -> e.setProperty(EVENT, Events.offerExpired(offer(e).studentId(), offer(e).name(),
                                    offer(e).classId(), e.getMessage().getBody(CourseClass.class).title(),
                                    offer(e).expiresAt())))
                            .filter(e -> offers.expire(offer(e), event(e)))
                                .to("direct:offers-changed")
                                .setBody(exchangeProperty(EVENT))
                                .wireTap("direct:publish-event")
                                .to("direct:request-promotion")
                            .end()
                    .end()
                .end();

        // the class answer shows offered, the instructor's list shows the offers: both caches move on
        from("direct:offers-changed").routeId("offers-changed").routeConfigurationId("after-commit")
                .process(e -> classViews.classChanged(classId(e)))
                .process(e -> waitlists.offersChanged(classId(e)));
    }

    /** The caller accepts the offer of the class read, under the schedule version their checks read. */
    private Outcome accept(Exchange exchange) {
        return offers.accept(course(exchange), caller(exchange).id(), caller(exchange).name(),
                record(exchange).schedule().version(), event(exchange));
    }

    private static ProblemException noOffer() {
        return ProblemException.notFound("no-offer", "you have no open offer of a seat in this class");
    }

    private static Offer offer(Exchange exchange) {
        return exchange.getProperty(OFFER, Offer.class);
    }

    private static Event event(Exchange exchange) {
        return exchange.getProperty(EVENT, Event.class);
    }
}
