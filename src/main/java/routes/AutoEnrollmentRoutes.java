package routes;

import enrollment.AutoEnrollment;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Enrollments.Outcome;
import enrollment.Offers;
import enrollment.PromotionRequests;
import enrollment.PromotionsInFlight;
import enrollment.PromotionsInFlight.Promotion;
import enrollment.RegistrationRules;
import enrollment.StudentRecord;
import enrollment.Waitlists;
import event.Events;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.EndpointProducerBuilder;
import org.apache.camel.builder.endpoint.dsl.SedaEndpointBuilderFactory.SedaEndpointProducerBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import store.Tables;

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
 * <p>The steps call the gateways Camel injects by type ({@link BeanInject}); each step is one gateway call. A promoter
 * carries its turn as a {@link PromoterPass}, a promotion its state as a {@link PromotionContext}: one typed property
 * each.
 */
public class AutoEnrollmentRoutes extends EndpointRouteBuilder {

    /** How a promotion ended: the seat given; the student failed the registration rules; no seat given. */
    enum Promoted { SEATED, PASSED_OVER, NOT_SEATED }

    @BeanInject
    PromotionRequests promotionRequests;
    @BeanInject
    Waitlists waitlists;
    @BeanInject
    PromotionsInFlight promotionsInFlight;
    @BeanInject
    Classes classes;
    @BeanInject
    Enrollments enrollments;
    @BeanInject
    Offers offers;
    @BeanInject
    ClassViews classViews;
    @BeanInject
    Tables tables;
    /** How long a turn lasts unless renewed (ms). */
    @PropertyInject("promotion.lease")
    long leaseMillis;
    /** How old an in-flight promotion no holder finished must be before the repair timer finishes it (ms). */
    @PropertyInject("promotion.repair-after")
    long repairAfterMillis;

    /** This instance's promoters; a full queue drops the hand-off, and the poller picks the request up instead. */
    private EndpointProducerBuilder promoters() {
        SedaEndpointProducerBuilder promote = seda("promote");
        return promote.waitForTaskToComplete("Never").advanced().discardWhenFull(true);
    }

    @Override
    public void configure() {
        // What a drop (or anything else that may free a seat) waits for: one Redis script, then the hand-off. It
        // follows a change already stored: a failure here must not turn that change into an error answer, and the
        // sweep below finds the seat the request would have filled (route configuration "after-commit").
        from("direct:request-promotion").routeId("request-promotion").routeConfigurationId("after-commit")
                .filter(e -> promotionRequests.request(Requests.classId(e)))
                    .setBody(header("classId"))
                    .to(promoters()).id("hand-to-promoters")
                .end();

        from(timer("poll-promotion-requests").period("{{promotion.poll-period}}"))
                .routeId("pick-up-due-promotion-requests").routeConfigurationId("background")
                .split().exchange(e -> promotionRequests.due(100))
                    .to(promoters())
                .end();

        // The holder of the class's turn finishes what an earlier holder left in flight (they came first), then,
        // unless frozen, gives each free seat to the first student waiting who passes the registration rules (one
        // who fails them is passed over and keeps their place, docs/api.md "Registration rules"); it passes again
        // while requests came during its pass. A failure leaves the turn to lapse and the request to fall due again,
        // as a crash would.
        from(seda("promote").concurrentConsumers("{{promotion.promoters}}")).routeId("promote")
                .routeConfigurationId("background")
                .setProperty(PromoterPass.PROPERTY).exchange(e -> new PromoterPass(
                        promotionRequests.take(e.getMessage().getBody(Long.class), leaseMillis)))
                .loopDoWhile(e -> PromoterPass.of(e).holdsTurn())
                    .split().exchange(e -> promotionsInFlight.inFlight(PromoterPass.of(e).turn().classId()))
                        .to("direct:finish-promotion")
                    .end()
                    .to("direct:read-auto-enrollment")
                    .filter(e -> e.getMessage().getBody(AutoEnrollment.Switch.class).enabled())
                        // nobody leaves the list without a free seat to take: a promotion begun and restored would
                        // move the list's validators for an answer that stays byte for byte the same
                        .setBody(constant(Promoted.SEATED))
                        .loopDoWhile(e -> e.getMessage().getBody() != Promoted.NOT_SEATED
                                && hasFreeSeat(PromoterPass.of(e).turn().classId()))
                            .setBody(e -> promotionsInFlight.beginPromotion(PromoterPass.of(e).turn(),
                                    PromoterPass.of(e).passedOver()))
                            .choice()
                                .when(body().isNull())  // nobody without a hold waits, or the turn was lost
                                    .setBody(constant(Promoted.NOT_SEATED))
                                .otherwise()
                                    .to("direct:finish-promotion")
                                    .filter(body().isEqualTo(Promoted.PASSED_OVER))
                                        .process(e -> PromoterPass.of(e).passOver(
                                                PromotionContext.of(e).promotion().studentId()))
                                    .end()
                            .end()
                        .end()
                    .end()
                    .process(e -> PromoterPass.of(e).next(promotionRequests.conclude(PromoterPass.of(e).turn())))
                .end();

        // Seats the promotion's student: enrolls them, or in offer mode holds the seat for them (enrollment/Offers),
        // or, when they wait to swap a class they are still enrolled in for this one, drops that class and enrolls
        // them in one step (docs/api.md "Swaps"; in offer mode too: the swap was their standing request). Answers
        // SEATED when they hold the seat (or already did); PASSED_OVER when they fail the registration rules (back to
        // their place); NOT_SEATED when it went to nobody: the student goes back to their place when no seat was free
        // after all, nowhere when the class was removed since the promotion began. Called by background routes only:
        // a failure goes back to the caller, whose turn lapses (route configuration "background").
        from("direct:finish-promotion").routeId("finish-promotion").routeConfigurationId("background")
                .setProperty(PromotionContext.PROPERTY).exchange(e -> new PromotionContext(e.getMessage().getBody(Promotion.class)))
                .setHeader("classId").exchange(e -> PromotionContext.of(e).promotion().classId())
                .to("direct:find-class")
                .process(e -> PromotionContext.of(e).course(e.getMessage().getBody(CourseClass.class)))
                .choice()
                    .when(e -> PromotionContext.of(e).course() == null)
                        .setBody(constant(Outcome.FULL_OR_NO_CLASS))
                    .otherwise()
                        .to("direct:seat-promoted-student")
                .end()
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .process(e -> classViews.classChanged(PromotionContext.of(e).promotion().classId()))
                        .filter(e -> PromotionContext.of(e).offerMode() && PromotionContext.of(e).swapping() == null)
                            .process(e -> waitlists.offersChanged(PromotionContext.of(e).promotion().classId()))
                        .end()
                        .process(e -> promotionsInFlight.commit(PromotionContext.of(e).promotion()))
                        .setBody(e -> PromotionContext.of(e).event())
                        .wireTap("direct:publish-event")
                        .filter(e -> PromotionContext.of(e).swapping() != null)  // the class the swap dropped: its seat is promoted
                            .setHeader("classId").exchange(e -> PromotionContext.of(e).swapping())
                            .process(e -> classViews.classChanged(Requests.classId(e)))
                            .to("direct:request-promotion")
                        .end()
                        .setBody(constant(Promoted.SEATED))
                    .endChoice()
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .process(e -> promotionsInFlight.commit(PromotionContext.of(e).promotion()))
                        .setBody(constant(Promoted.SEATED))
                    .when(body().isEqualTo(Outcome.RULES_BROKEN))
                        .process(e -> promotionsInFlight.restore(PromotionContext.of(e).promotion()))
                        .setBody(constant(Promoted.PASSED_OVER))
                    .when(e -> PromotionContext.of(e).course() == null
                            || classes.find(PromotionContext.of(e).promotion().classId()).isEmpty())
                        .process(e -> promotionsInFlight.discard(PromotionContext.of(e).promotion()))
                        .setBody(constant(Promoted.NOT_SEATED))
                    .otherwise()
                        .process(e -> promotionsInFlight.restore(PromotionContext.of(e).promotion()))
                        .setBody(constant(Promoted.NOT_SEATED))
                .end();

        // The promoted student's seat under the registration rules, checked against their record as read; another
        // seat change of theirs stored meanwhile (the schedule moved on), or the swap's class left meanwhile, reads
        // and checks again. Answers the seat's Outcome, RULES_BROKEN when a rule fails.
        from("direct:seat-promoted-student").routeId("seat-promoted-student").routeConfigurationId("background")
                .to("direct:try-promoted-seat")
                .loopDoWhile(e -> e.getMessage().getBody() == Outcome.SCHEDULE_CHANGED
                        || e.getMessage().getBody() == Outcome.NOT_ENROLLED)
                    .to("direct:try-promoted-seat")
                .end();

        from("direct:try-promoted-seat").routeId("try-promoted-seat").routeConfigurationId("background")
                .setBody(e -> PromotionContext.of(e).promotion().studentId())
                .to("direct:read-record-of").id("read-promoted-student-record")
                .process(e -> PromotionContext.of(e).student(e.getMessage().getBody(StudentRecord.class)))
                .process(e -> PromotionContext.of(e).swapping(swapFor(PromotionContext.of(e).promotion())))
                    .id("find-swapped-enrollment")
                .choice()
                    .when(e -> RegistrationRules.broken(PromotionContext.of(e).student(), PromotionContext.of(e).course(),
                            PromotionContext.of(e).swapping()) != null)
                        .setBody(constant(Outcome.RULES_BROKEN))
                    .when(e -> PromotionContext.of(e).swapping() != null)
                        .setBody(e -> swap(PromotionContext.of(e)))
                    .when(e -> PromotionContext.of(e).offerMode())
                        .setBody(e -> offer(PromotionContext.of(e)))
                    .otherwise()
                        .setBody(e -> enroll(PromotionContext.of(e)))
                .end();

        from(timer("repair-promotions").period("{{promotion.repair-period}}")).routeId("repair-interrupted-promotions")
                .routeConfigurationId("background")
                .split().exchange(e -> promotionsInFlight.stalePromotions(repairAfterMillis))
                    .to("direct:finish-promotion")
                .end();

        // the classes with students waiting, read 100 at a time (DynamoDB's most per BatchGetItem), eventually
        // consistent: the sweep looks again at its next period, and rows left unprocessed wait for it too
        from(timer("sweep-promotions").period("{{promotion.sweep-period}}"))
                .routeId("request-promotions-where-seats-and-lists-disagree")
                .routeConfigurationId("background")
                .to("direct:read-auto-enrollment")
                .filter(e -> e.getMessage().getBody(AutoEnrollment.Switch.class).enabled())
                    .split().exchange(e -> batches(waitlists.classesWithStudentsWaiting()))
                        .setHeader(Ddb2Constants.BATCH_ITEMS).exchange(e -> Classes.keysOf(tables.classes(), batch(e)))
                        .to(aws2Ddb(tables.classes()).operation(Ddb2Operations.BatchGetItems)).id("get-waiting-class-rows")
                        .setBody(e -> Classes.withFreeSeat(DynamoDbResults.batchItems(e, tables.classes())))
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

        // the switch, read consistently so that a registrar's freeze holds for the very next seat freed
        from("direct:read-auto-enrollment").routeId("read-auto-enrollment").routeConfigurationId("shared-read")
                .setHeader(Ddb2Constants.KEY, constant(AutoEnrollment.KEY))
                .setHeader(Ddb2Constants.CONSISTENT_READ, constant(true))
                .to(aws2Ddb(tables.settings()).operation(Ddb2Operations.GetItem)).id("get-auto-enrollment-row")
                .setBody(e -> AutoEnrollment.from(DynamoDbResults.attributes(e)));
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

    /**
     * @return the class the promoted student waits to drop for this one, when they are still enrolled in it; null
     *         for an ordinary promotion (no swap, or they left that class meanwhile)
     */
    private Long swapFor(Promotion promotion) {
        Long swapFor = promotion.swapFor();
        return swapFor == null || enrollments.find(swapFor, promotion.studentId()) == null ? null : swapFor;
    }

    /** The swap made when the student's turn came: enrolled here, the other class dropped, in one transaction. */
    private Outcome swap(PromotionContext context) {
        Promotion promotion = context.promotion();
        CourseClass dropped = classes.find(context.swapping()).orElse(null);
        return enrollments.swap(context.swapping(), context.course(), promotion.studentId(), promotion.name(),
                context.student().schedule().version(), context.event(Events.swapped(promotion.studentId(),
                        promotion.name(), promotion.classId(), context.course().title(), context.swapping(),
                        dropped == null ? null : dropped.title())));
    }

    /** The seat held for the student until the class's offer deadline (offer mode). */
    private Outcome offer(PromotionContext context) {
        Promotion promotion = context.promotion();
        return offers.offer(context.course(), promotion.studentId(), promotion.name(),
                context.student().schedule().version(), context.event(Events.seatOffered(promotion.studentId(),
                        promotion.name(), promotion.classId(), context.course().title(),
                        offers.deadline(context.course()))));
    }

    /** The seat given to the student (automatic mode). */
    private Outcome enroll(PromotionContext context) {
        Promotion promotion = context.promotion();
        return enrollments.enroll(context.course(), promotion.studentId(), promotion.name(),
                context.student().schedule().version(), context.event(Events.enrolled(promotion.studentId(),
                        promotion.name(), promotion.classId(), context.course().title())));
    }
}
