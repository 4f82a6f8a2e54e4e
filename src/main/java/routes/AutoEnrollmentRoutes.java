package routes;

import static routes.Requests.classId;

import enrollment.AutoEnrollment;
import enrollment.Classes;
import enrollment.ClassViews;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Enrollments.Outcome;
import enrollment.Offers;
import enrollment.PromotionRequests;
import enrollment.PromotionRequests.Turn;
import enrollment.PromotionsInFlight;
import enrollment.PromotionsInFlight.Promotion;
import enrollment.RegistrationRules;
import enrollment.Registrations;
import enrollment.StudentRecord;
import enrollment.WaitlistMode;
import enrollment.Waitlists;
import event.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import notify.Events;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The flow {@code promote}: a freed seat goes to the first student waiting, within seconds, unless the registrar
 * froze automatic enrollment; no HTTP request waits for it (docs/api.md: "the drop's answer does not wait for it").
 *
 * <p>Whatever frees a seat (a drop, an administrative drop, a larger capacity, unfreezing, an offer declined or
 * lapsed) calls {@code direct:request-promotion}: it records a promotion request in Redis and hands the class to this
 * instance's promoters ({@code seda:promote}). A promoter takes the class's turn, a lease renewed at every step, so one
 * holder across all instances promotes a class's students, in arrival order; it concludes when no request came during
 * its pass (enrollment/PromotionRequests). A holder that dies stops renewing: its request falls due when the lease
 * lapses and the poller of any live instance takes it over, first finishing the promotions it left in flight. A sweep
 * requests promotions where seats and lists disagree (a crash between the drop's DynamoDB transaction and its
 * request). Each promotion takes the student off the list into an in-flight entry (Redis), seats them (DynamoDB),
 * then ends the entry; the next holder or the repair timer finishes one a crash interrupted, so a seat moves exactly
 * one student. In a class whose waiting-list mode is {@code offer} the seat is offered instead of taken
 * (routes/OfferRoutes takes it from there). docs/architecture.md "Promotions" tells the whole design.
 *
 * <p>The steps call the gateways Camel injects by type ({@link BeanInject}); each step is one gateway call.
 */
public class AutoEnrollmentRoutes extends RouteBuilder {

    /** This instance's promoters; a full queue drops the hand-off, and the poller picks the request up instead. */
    private static final String PROMOTERS = "seda:promote?waitForTaskToComplete=Never&discardWhenFull=true";
    /**
     * Exchange properties of the flow: the turn held, the students it passed over, the promotion being finished, its
     * class, its student's record, the class their swap drops, its event.
     */
    private static final String TURN = "turn";
    private static final String PASSED_OVER = "passedOver";
    private static final String PROMOTION = "promotion";
    private static final String COURSE = "course";
    private static final String STUDENT = "promotedStudent";
    private static final String SWAPPING = "swapping";
    private static final String EVENT = "event";

    /** How a promotion ended: the seat given; the student failed the registration rules; no seat given. */
    enum Promoted { SEATED, PASSED_OVER, NOT_SEATED }

    @BeanInject
    PromotionRequests promotionRequests;
    @BeanInject
    Waitlists waitlists;
    @BeanInject
    PromotionsInFlight promotionsInFlight;
    @BeanInject
    AutoEnrollment autoEnrollment;
    @BeanInject
    Classes classes;
    @BeanInject
    Enrollments enrollments;
    @BeanInject
    Offers offers;
    @BeanInject
    ClassViews classViews;
    @BeanInject
    Events events;
    @BeanInject
    Registrations registrations;
    /** How long a turn lasts unless renewed (ms). */
    @PropertyInject("promotion.lease")
    long leaseMillis;
    /** How old an in-flight promotion no holder finished must be before the repair timer finishes it (ms). */
    @PropertyInject("promotion.repair-after")
    long repairAfterMillis;

    @Override
    public void configure() {
        // what a drop (or anything else that may free a seat) waits for: one Redis script, then the hand-off
        from("direct:request-promotion").routeId("request-promotion")
                .filter(e -> promotionRequests.request(classId(e)))
                    .setBody(header("classId"))
                    .to(PROMOTERS).id("hand-to-promoters")
                .end();

        from("timer:poll-promotion-requests?period={{promotion.poll-period}}").routeId("pick-up-due-promotion-requests")
                .routeConfigurationId("background")
                .split().exchange(e -> promotionRequests.due(100))
                    .to(PROMOTERS)
                .end();

        // The holder of the class's turn finishes what an earlier holder left in flight (they came first), then,
        // unless frozen, gives each free seat to the first student waiting who passes the registration rules (one
        // who fails them is passed over and keeps their place, docs/api.md "Registration rules"); it passes again
        // while requests came during its pass. A failure leaves the turn to lapse and the request to fall due again,
        // as a crash would.
        from("seda:promote?concurrentConsumers={{promotion.promoters}}").routeId("promote")
                .routeConfigurationId("background")
                .process(e -> e.setProperty(TURN, promotionRequests.take(e.getMessage().getBody(Long.class), leaseMillis)))
                .loopDoWhile(e -> turn(e) != null)
                    .split().exchange(e -> promotionsInFlight.inFlight(turn(e).classId()))
                        .to("direct:finish-promotion")
                    .end()
                    .filter(e -> autoEnrollment.read().enabled())
                        // nobody leaves the list without a free seat to take: a promotion begun and restored would
                        // move the list's validators for an answer that stays byte for byte the same
                        .setBody(constant(Promoted.SEATED))
                        .process(e -> e.setProperty(PASSED_OVER, new HashSet<Long>()))
                        .loopDoWhile(e -> e.getMessage().getBody() != Promoted.NOT_SEATED
                                && hasFreeSeat(turn(e).classId()))
                            .setBody(e -> promotionsInFlight.beginPromotion(turn(e), passedOver(e)))
                            .choice()
                                .when(body().isNull())  // nobody without a hold waits, or the turn was lost
                                    .setBody(constant(Promoted.NOT_SEATED))
                                .otherwise()
                                    .to("direct:finish-promotion")
                                    .filter(body().isEqualTo(Promoted.PASSED_OVER))
                                        .process(e -> passedOver(e).add(promotion(e).studentId()))
                                    .end()
                            .end()
                        .end()
                    .end()
                    .process(e -> e.setProperty(TURN, promotionRequests.conclude(turn(e))))
                .end();

        // Seats the promotion's student: enrolls them, or in offer mode holds the seat for them (enrollment/Offers),
        // or, when they wait to swap a class they are still enrolled in for this one, drops that class and enrolls
        // them in one step (docs/api.md "Swaps"; in offer mode too: the swap was their standing request). Answers
        // SEATED when they hold the seat (or already did); PASSED_OVER when they fail the registration rules (back to
        // their place); NOT_SEATED when it went to nobody: the student goes back to their place when no seat was free
        // after all, nowhere when the class was removed since the promotion began.
        from("direct:finish-promotion").routeId("finish-promotion")
                .process(e -> e.setProperty(PROMOTION, e.getMessage().getBody(Promotion.class)))
                .process(e -> e.setProperty(COURSE, classes.find(promotion(e).classId()).orElse(null)))
                .choice()
                    .when(e -> course(e) == null)
                        .setBody(constant(Outcome.FULL_OR_NO_CLASS))
                    .otherwise()
                        .to("direct:seat-promoted-student")
                .end()
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .process(e -> classViews.classChanged(promotion(e).classId()))
                        .filter(e -> offerMode(e) && swapping(e) == null)
                            .process(e -> waitlists.offersChanged(promotion(e).classId()))
                        .end()
                        .process(e -> promotionsInFlight.commit(promotion(e)))
                        .setBody(exchangeProperty(EVENT))
                        .wireTap("direct:publish-event")
                        .filter(e -> swapping(e) != null)  // the class dropped by the swap: its seat is promoted
                            .process(e -> classViews.classChanged(swapping(e)))
                            .setHeader("classId").exchange(AutoEnrollmentRoutes::swapping)
                            .to("direct:request-promotion")
                        .end()
                        .setBody(constant(Promoted.SEATED))
                    .endChoice()
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .process(e -> promotionsInFlight.commit(promotion(e)))
                        .setBody(constant(Promoted.SEATED))
                    .when(body().isEqualTo(Outcome.RULES_BROKEN))
                        .process(e -> promotionsInFlight.restore(promotion(e)))
                        .setBody(constant(Promoted.PASSED_OVER))
                    .when(e -> course(e) == null || classes.find(promotion(e).classId()).isEmpty())
                        .process(e -> promotionsInFlight.discard(promotion(e)))
                        .setBody(constant(Promoted.NOT_SEATED))
                    .otherwise()
                        .process(e -> promotionsInFlight.restore(promotion(e)))
                        .setBody(constant(Promoted.NOT_SEATED))
                .end();

        // The promoted student's seat under the registration rules, checked against their record as read; another
        // seat change of theirs stored meanwhile (the schedule moved on), or the swap's class left meanwhile, reads
        // and checks again. Answers the seat's Outcome, RULES_BROKEN when a rule fails.
        from("direct:seat-promoted-student").routeId("seat-promoted-student")
                .to("direct:try-promoted-seat")
                .loopDoWhile(e -> e.getMessage().getBody() == Outcome.SCHEDULE_CHANGED
                        || e.getMessage().getBody() == Outcome.NOT_ENROLLED)
                    .to("direct:try-promoted-seat")
                .end();

        from("direct:try-promoted-seat").routeId("try-promoted-seat")
                .process(e -> e.setProperty(STUDENT, registrations.record(promotion(e).studentId())))
                    .id("read-promoted-student-record")
                .process(e -> e.setProperty(SWAPPING, swapFor(e))).id("find-swapped-enrollment")
                .choice()
                    .when(e -> RegistrationRules.broken(student(e), course(e), swapping(e)) != null)
                        .setBody(constant(Outcome.RULES_BROKEN))
                    .when(e -> swapping(e) != null)
                        .process(e -> e.setProperty(EVENT, events.swapped(promotion(e), course(e),
                                classes.find(swapping(e)).orElse(null))))
                        .setBody(e -> enrollments.swap(swapping(e), course(e), promotion(e).studentId(),
                                promotion(e).name(), student(e).schedule().version(), event(e)))
                    .when(e -> offerMode(e))
                        .process(e -> e.setProperty(EVENT, events.seatOffered(promotion(e), course(e),
                                offers.deadline(course(e)))))
                        .setBody(e -> offers.offer(course(e), promotion(e).studentId(), promotion(e).name(),
                                student(e).schedule().version(), event(e)))
                    .otherwise()
                        .process(e -> e.setProperty(EVENT, events.enrolled(promotion(e), course(e))))
                        .setBody(e -> enrollments.enroll(course(e), promotion(e).studentId(), promotion(e).name(),
                                student(e).schedule().version(), event(e)))
                .end();

        from("timer:repair-promotions?period={{promotion.repair-period}}").routeId("repair-interrupted-promotions")
                .routeConfigurationId("background")
                .split().exchange(e -> promotionsInFlight.stalePromotions(repairAfterMillis))
                    .to("direct:finish-promotion")
                .end();

        from("timer:sweep-promotions?period={{promotion.sweep-period}}")
                .routeId("request-promotions-where-seats-and-lists-disagree")
                .routeConfigurationId("background")
                .filter(e -> autoEnrollment.read().enabled())
                    .split().exchange(e -> batches(waitlists.classesWithStudentsWaiting()))
                        .setBody(e -> classes.withFreeSeat(batch(e))).id("get-waiting-class-rows")
                        .split(body())
                            .setHeader("classId", body())
                            .to("direct:request-promotion")
                        .end()
                    .end()
                .end();

        // unfreezing fills every list (routes/RegistrarRoutes)
        from("direct:request-every-waiting-class").routeId("request-every-waiting-class")
                .split().exchange(e -> waitlists.classesWithStudentsWaiting())
                    .setHeader("classId", body())
                    .to("direct:request-promotion")
                .end();

        // the switch as the registrar's PUT answers it (routes/RegistrarRoutes)
        from("direct:read-auto-enrollment").routeId("read-auto-enrollment")
                .setBody(e -> autoEnrollment.read()).id("get-auto-enrollment-row");
    }

    /** The class ids in batches of 100, the most one DynamoDB {@code BatchGetItem} reads. */
    private static List<List<Long>> batches(List<Long> classIds) {
        List<List<Long>> batches = new ArrayList<>();
        for (int from = 0; from < classIds.size(); from += 100) {
            batches.add(classIds.subList(from, Math.min(classIds.size(), from + 100)));
        }
        return batches;
    }

    @SuppressWarnings("unchecked")
    private static List<Long> batch(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    /** Whether the class still exists and has a seat neither enrolled nor offered (consistent read). */
    private boolean hasFreeSeat(long classId) {
        return classes.find(classId).map(CourseClass::hasFreeSeat).orElse(false);
    }

    private static boolean offerMode(Exchange exchange) {
        return WaitlistMode.OFFER.equals(course(exchange).waitlistMode());
    }

    /**
     * @return the class the promoted student waits to drop for this one, when they are still enrolled in it; null
     *         for an ordinary promotion (no swap, or they left that class meanwhile)
     */
    private Long swapFor(Exchange exchange) {
        Long swapFor = promotion(exchange).swapFor();
        return swapFor == null || enrollments.find(swapFor, promotion(exchange).studentId()) == null ? null : swapFor;
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> passedOver(Exchange exchange) {
        return exchange.getProperty(PASSED_OVER, Set.class);
    }

    private static StudentRecord student(Exchange exchange) {
        return exchange.getProperty(STUDENT, StudentRecord.class);
    }

    private static Long swapping(Exchange exchange) {
        return exchange.getProperty(SWAPPING, Long.class);
    }

    private static Turn turn(Exchange exchange) {
        return exchange.getProperty(TURN, Turn.class);
    }

    private static Promotion promotion(Exchange exchange) {
        return exchange.getProperty(PROMOTION, Promotion.class);
    }

    private static CourseClass course(Exchange exchange) {
        return exchange.getProperty(COURSE, CourseClass.class);
    }

    private static Event event(Exchange exchange) {
        return exchange.getProperty(EVENT, Event.class);
    }
}
