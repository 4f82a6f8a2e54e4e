package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import enrollment.AutoEnrollment;
import event.Event;
import notify.Deliveries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import api.ProblemResponse;
import auth.Authenticate;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flow {@code promote} (routes/AutoEnrollmentRoutes) alone, over test doubles of its gateways
 * ({@link PromotionStores}): the real routes and their error handling (routes/BackgroundRouteConfiguration), a lease
 * of 600 ms and a poller every 100 ms, so that a lapsed turn is taken over within a second. Each test frees a seat as
 * a drop does, through {@code direct:request-promotion}, and checks who holds the seats, who still waits, what is in
 * flight, whether the request was concluded and which events went out (docs/api.md "Waiting lists", "Seat offers";
 * docs/architecture.md "Promotions").
 */
class PromoteFlowTest extends CamelTestSupport {

    private static final long CLASS = 42;
    private static final Duration LEASE = Duration.ofMillis(600);

    private final PromotionStores stores = new PromotionStores(CLASS, 2);

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        Properties properties = new Properties();
        properties.put("promotion.lease", Long.toString(LEASE.toMillis()));
        properties.put("promotion.poll-period", "100");
        properties.put("promotion.promoters", "2");
        // the sweep and the repair are other tests' business: their first tick comes after the test
        properties.put("promotion.sweep-period", "3600000");
        properties.put("promotion.repair-period", "3600000");
        properties.put("promotion.repair-after", "3600000");
        camel.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        stores.bind(registry);
        // what the error handling of record-outcome asks (routes/BackgroundRouteConfiguration); unused here
        registry.bind("deliveries", mock(Deliveries.class));
        // the API's configuration is in the context as in the service: the background flows must not fall under it
        registry.bind("authenticate", mock(Authenticate.class));
        registry.bind("problemResponse", new ProblemResponse());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return new RoutesBuilder[] {Injected.routes(context, new BackgroundRouteConfiguration()),
            Injected.routes(context, new ApiRouteConfiguration()),
            Injected.routes(context, new AutoEnrollmentRoutes()), deliveryEntry()};
    }

    /**
     * The flows the promotion calls in other route classes, over the doubles: the event pipeline's entry
     * (routes/EventRoutes), a mock here, the class read (routes/ClassReadRoutes) and the student's record
     * (routes/RegistrationRoutes), from the doubles, under the same route configurations as in the service.
     */
    private RouteBuilder deliveryEntry() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:publish-event").routeId("publish-event").to("mock:published");
                from("direct:find-class").routeId("find-class").routeConfigurationId("shared-read").setBody(e -> stores.course().orElse(null));
                from("direct:read-record-of").routeId("read-record-of").routeConfigurationId("shared-read")
                        .setBody(e -> stores.registrations.record(e.getMessage().getBody(Long.class)));
                // a flow that stored a change and asks for a promotion, then answers (as routes/StudentRoutes' drop)
                from("direct:stored-change").routeId("stored-change")
                        .to("direct:request-promotion")
                        .setBody(constant("answered"));
            }
        };
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /**
     * The switch's row comes from the doubles instead of DynamoDB (the aws2-ddb step replaced), the sweep's batch read
     * finds nothing (the sweep is other tests' business); then the context starts.
     */
    @BeforeEach
    void readTheSwitchFromTheDoubles() throws Exception {
        AdviceWith.adviceWith(context, "read-auto-enrollment", route -> route.weaveById("get-auto-enrollment-row")
                .replace().setHeader(Ddb2Constants.ATTRIBUTES)
                .exchange(e -> AutoEnrollment.item(new AutoEnrollment.Switch(!stores.isFrozen()))));
        AdviceWith.adviceWith(context, "request-promotions-where-seats-and-lists-disagree", route -> route
                .weaveById("get-waiting-class-rows").replace().setHeader(Ddb2Constants.BATCH_RESPONSE)
                .constant(Map.of()));
        context.start();
    }

    /** A freed seat goes to the first student waiting; the second waits on; the request is concluded. */
    @Test
    void aFreedSeatGoesToTheFirstStudentWaiting() throws Exception {
        stores.enrolled(1, 2);
        stores.waiting(3, 4);
        MockEndpoint published = published(1);

        drop(2);

        awaitSettled();
        assertThat(stores.enrolled).containsExactly(1L, 3L);
        assertThat(stores.waiting).containsExactly(4L);
        published.assertIsSatisfied();
        assertThat(events(published)).containsExactly("enrolled 3");
    }

    /**
     * The holder dies between the steps of a promotion: the student left the list (Redis) and the enrollment
     * (DynamoDB) never came. The pass fails, its turn is not concluded and lapses; the poller hands the request to
     * the next holder, which finishes that promotion first (the student was first in line), then fills the other
     * free seat. Each student is enrolled once and told once.
     */
    @Test
    void theNextHolderFinishesAPromotionACrashLeftInFlight() throws Exception {
        stores.enrolled(1);
        stores.waiting(3, 4, 5);
        stores.enrollFailures.set(1);
        MockEndpoint published = published(2);

        drop(1);

        awaitSettled();
        assertThat(stores.enrolled).containsExactly(3L, 4L);
        assertThat(stores.waiting).containsExactly(5L);
        published.assertIsSatisfied();
        assertThat(events(published)).containsExactlyInAnyOrder("enrolled 3", "enrolled 4");
        // the failed attempt and one enrollment each
        verify(stores.enrollments, times(3)).enroll(any(), anyLong(), anyString(), anyLong(), any());
    }

    /**
     * A holder died holding the class's turn, with a student in flight. While its lease runs nobody else promotes
     * the class (one holder across instances); once it lapses the poller of a live instance takes the turn over and
     * finishes the dead holder's promotion before anyone else's.
     */
    @Test
    void aLapsedTurnIsTakenOverByThePoller() throws Exception {
        stores.enrolled(1, 2);
        stores.waiting(3, 4);
        var dead = stores.deadHolder(Duration.ofSeconds(3));
        stores.drop(1);
        assertThat(stores.begin(dead, Set.of()).studentId()).isEqualTo(3);
        stores.drop(2);
        MockEndpoint published = published(2);

        template.sendBodyAndHeader("direct:request-promotion", null, "classId", CLASS);
        // the promoter was refused the turn, and the poller found nothing due three times
        verify(stores.promotionRequests, timeout(2000).atLeast(3)).due(anyInt());
        assertThat(stores.enrolled).as("seats taken while the dead holder's lease runs").isEmpty();
        assertThat(stores.waiting).containsExactly(4L);

        awaitSettled();
        published.assertIsSatisfied();
        assertThat(events(published)).containsExactlyInAnyOrder("enrolled 3", "enrolled 4");
        assertThat(stores.enrolled).containsExactly(3L, 4L);
    }

    /**
     * Frozen automatic enrollment: a freed seat stays free and the students wait on, but a promotion already in
     * flight (its student already off the list) is finished, and the request goes.
     */
    @Test
    void frozenAutoEnrollmentOnlyFinishesPromotionsInFlight() throws Exception {
        stores.enrolled(1, 2);
        stores.waiting(3, 4, 5);
        stores.drop(1);
        stores.begin(stores.deadHolder(Duration.ZERO), Set.of());
        stores.freeze(true);
        MockEndpoint published = published(1);

        drop(2);

        awaitSettled();
        published.assertIsSatisfied();
        assertThat(events(published)).containsExactly("enrolled 3");
        assertThat(stores.enrolled).containsExactly(3L);
        assertThat(stores.waiting).containsExactly(4L, 5L);
    }

    /** The class removed while a promotion was in flight: it ends with the student enrolled nowhere, on no list. */
    @Test
    void aPromotionOfARemovedClassEndsWithNobodyEnrolled() throws Exception {
        stores.enrolled(1, 2);
        stores.waiting(3, 4);
        stores.drop(1);
        stores.begin(stores.deadHolder(Duration.ZERO), Set.of());
        stores.remove();

        template.sendBodyAndHeader("direct:request-promotion", null, "classId", CLASS);

        awaitSettled();
        assertThat(stores.enrolled).isEmpty();
        assertThat(stores.waiting).isEmpty();
        assertThat(getMockEndpoint("mock:published").getReceivedCounter()).isZero();
    }

    /** No seat after all (taken meanwhile by a racing enrollment): the student goes back to the head of the list. */
    @Test
    void aStudentWithoutASeatAfterAllGoesBackToTheirPlace() throws Exception {
        stores.enrolled(1);
        stores.waiting(3, 4);
        stores.drop(1);
        stores.begin(stores.deadHolder(Duration.ZERO), Set.of());
        stores.enrolled(8, 9);

        template.sendBodyAndHeader("direct:request-promotion", null, "classId", CLASS);

        awaitSettled();
        assertThat(stores.enrolled).containsExactly(8L, 9L);
        assertThat(stores.waiting).containsExactly(3L, 4L);
        assertThat(getMockEndpoint("mock:published").getReceivedCounter()).isZero();
    }

    /** The registrar's switch is what {@code read-auto-enrollment} answers (routes/RegistrarRoutes replies with it). */
    @Test
    void readAutoEnrollmentAnswersTheSwitch() {
        stores.freeze(true);
        assertThat(template.requestBody("direct:read-auto-enrollment", null, AutoEnrollment.Switch.class).enabled())
                .isFalse();
    }

    /**
     * Offer mode: each freed seat is offered to the next student waiting, in order, with a {@code seat-offered}
     * event carrying the deadline; nobody is enrolled, and the instructor's list moves on with each offer.
     */
    @Test
    void inOfferModeTheSeatsAreOfferedInOrder() throws Exception {
        stores.offerMode();
        stores.waiting(3, 4, 5);
        MockEndpoint published = published(2);

        template.sendBodyAndHeader("direct:request-promotion", null, "classId", CLASS);

        awaitSettled();
        published.assertIsSatisfied();
        assertThat(events(published)).containsExactlyInAnyOrder("seat-offered 3", "seat-offered 4");
        assertThat(published.getReceivedExchanges().get(0).getMessage().getBody(Event.class).expiresAt()).isNotNull();
        assertThat(stores.offered).containsExactly(3L, 4L);
        assertThat(stores.enrolled).isEmpty();
        assertThat(stores.waiting).containsExactly(5L);
        verify(stores.waitlists, times(2)).offersChanged(CLASS);
    }

    /**
     * docs/api.md "Registration rules": a waiting student who fails a check when their seat comes is passed over and
     * keeps their place; the next one who passes gets the seat, in the same pass.
     */
    @Test
    void aStudentWhoFailsTheRulesIsPassedOverAndKeepsTheirPlace() throws Exception {
        stores.enrolled(1, 2);
        stores.waiting(3, 4, 5);
        stores.overCreditLimit(3);
        MockEndpoint published = published(1);

        drop(2);

        awaitSettled();
        assertThat(stores.enrolled).containsExactly(1L, 4L);
        assertThat(stores.waiting).containsExactly(3L, 5L);
        published.assertIsSatisfied();
        assertThat(events(published)).containsExactly("enrolled 4");
        verify(stores.enrollments, never()).enroll(any(), eq(3L), anyString(), anyLong(), any());
    }

    /**
     * docs/api.md "Swaps": a student waiting to swap a class they are enrolled in for this one is, when their turn
     * comes, dropped from it and enrolled here in one step (one transaction), told by an {@code enrolled} event that
     * names the class dropped, and the dropped class's seat is requested for its own list.
     */
    @Test
    void aWaitingSwapDropsTheOtherClassAndEnrollsInOneStep() throws Exception {
        stores.enrolled(1, 2);
        stores.waitingToSwap(3, 77);
        stores.waiting(4);
        MockEndpoint published = published(1);

        drop(2);

        awaitSettled();
        assertThat(stores.enrolled).containsExactly(1L, 3L);
        assertThat(stores.swappedAway).containsExactly(Map.entry(3L, 77L));
        assertThat(stores.waiting).containsExactly(4L);
        published.assertIsSatisfied();
        Event event = published.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(event.type()).isEqualTo(Event.ENROLLED);
        assertThat(event.via()).isEqualTo(Event.VIA_SWAP);
        assertThat(event.droppedClassId()).isEqualTo(77L);
        verify(stores.enrollments, never()).enroll(any(), anyLong(), anyString(), anyLong(), any());
        verify(stores.promotionRequests, timeout(5_000)).request(77L);
    }

    /**
     * Route configuration "after-commit": a promotion request that cannot be recorded (Redis down) does not fail the
     * change that asked for it (a drop already stored) nor becomes a problem answer; the sweep makes up for it.
     */
    @Test
    void aPromotionRequestThatFailsDoesNotFailTheChangeThatAskedForIt() {
        when(stores.promotionRequests.request(anyLong())).thenThrow(new RedisConnectionFailureException("Redis is down"));

        Exchange asked = template.send("direct:stored-change", e -> e.getMessage().setHeader("classId", CLASS));

        assertThat(asked.getException()).isNull();
        assertThat(asked.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).as("no problem answer").isNull();
        assertThat(asked.getMessage().getBody(String.class)).as("the flow went on to its answer").isEqualTo("answered");
        assertThat(stores.inFlight).isEmpty();
    }

    /**
     * Route configuration "background" on finish-promotion: a failure while seating fails the promoter's pass (its
     * turn lapses, the request falls due again), it is not handled as an HTTP request would be; the next pass finishes
     * the promotion left in flight and the seat is given.
     */
    @Test
    void aFailureWhileSeatingFailsThePassAndTheNextPassGivesTheSeat() throws Exception {
        stores.enrolled(1, 2);
        stores.waiting(3);
        when(stores.registrations.record(anyLong())).thenThrow(new IllegalStateException("DynamoDB blinked"))
                .thenAnswer(call -> stores.record(call.getArgument(0)));
        NotifyBuilder failedPass = new NotifyBuilder(context).fromRoute("promote").whenFailed(1).create();
        MockEndpoint published = published(1);

        drop(2);

        assertThat(failedPass.matches(10, TimeUnit.SECONDS)).as("the pass failed").isTrue();
        awaitSettled();
        published.assertIsSatisfied();
        assertThat(stores.enrolled).containsExactly(1L, 3L);
        assertThat(stores.waiting).isEmpty();
    }

    /** A student drops: their seat frees and a promotion is requested, as routes/StudentRoutes does. */
    private void drop(long student) {
        stores.drop(student);
        template.sendBodyAndHeader("direct:request-promotion", null, "classId", CLASS);
    }

    /** Waits until the request is concluded and nothing is in flight: what the promoters were going to do is done. */
    private void awaitSettled() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stores.requested()).as("a promotion is requested").isFalse();
            assertThat(stores.inFlight).as("promotions in flight").isEmpty();
        });
    }

    private MockEndpoint published(int count) {
        MockEndpoint published = getMockEndpoint("mock:published");
        published.expectedMessageCount(count);
        return published;
    }

    private static List<String> events(MockEndpoint published) {
        return PromotionStores.described(published.getReceivedExchanges().stream()
                .map(exchange -> exchange.getMessage().getBody(Event.class)).toList());
    }
}
