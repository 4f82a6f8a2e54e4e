package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import enrollment.Catalog;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Offers;
import enrollment.Offers.Offer;
import enrollment.Registrations;
import enrollment.WaitlistMode;
import enrollment.Waitlists;
import event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import notify.Deliveries;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The timer {@code expire-lapsed-offers} (routes/OfferRoutes) alone, over doubles of its gateways, sweeping every
 * 100 ms: an offer past its deadline ends once, whichever sweep (of any instance) claims it, with one
 * {@code offer-expired} event and the seat passed on by one promotion request (docs/api.md "Seat offers"); the
 * offer of a class whose removal stopped half way is withdrawn, and passes nothing on.
 */
class ExpireOffersTest extends CamelTestSupport {

    private static final long CLASS = 42;
    private static final Offer LAPSED = new Offer(CLASS, 3, "student 3", Instant.now().minusSeconds(1));
    private static final CourseClass COURSE = new CourseClass(CLASS, "CS", "CS101", 1, "Compilers", 7, 2, 1, 1, 1, 15,
            WaitlistMode.OFFER, 24, 3, List.of(), List.of(), 1, Instant.now());

    private final Offers offers = mock(Offers.class);
    private final Classes classes = mock(Classes.class);
    private final Waitlists waitlists = mock(Waitlists.class);

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        Properties properties = new Properties();
        properties.put("offers.sweep-period", "100");
        camel.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("offers", offers);
        registry.bind("classes", classes);
        registry.bind("waitlists", waitlists);
        registry.bind("classViews", mock(ClassViews.class));
        registry.bind("catalog", mock(Catalog.class));
        registry.bind("registrations", mock(Registrations.class));
        // what the error handling of record-outcome asks (routes/BackgroundRouteConfiguration); unused here
        registry.bind("deliveries", mock(Deliveries.class));
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return new RoutesBuilder[] {Injected.routes(context, new BackgroundRouteConfiguration()),
            Injected.routes(context, new OfferRoutes()), handedOn()};
    }

    /** The flows the expiry hands on to (routes/NotificationRoutes, routes/AutoEnrollmentRoutes), mocks here. */
    private static RouteBuilder handedOn() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:publish-event").routeId("publish-event").to("mock:published");
                from("direct:request-promotion").routeId("request-promotion").to("mock:promotion-requested");
            }
        };
    }

    /**
     * The sweeps keep finding the offer (the row's deletion reaches the index later), but its conditional delete
     * succeeds once: one event, one promotion request of the class, one move of the instructor's list.
     */
    @Test
    void aLapsedOfferEndsOnceAndPassesItsSeatOn() throws Exception {
        when(offers.lapsed(anyInt())).thenReturn(List.of(LAPSED));
        when(classes.find(CLASS)).thenReturn(Optional.of(COURSE));
        when(offers.expire(any(), any())).thenReturn(true, false);
        NotifyBuilder sweeps = new NotifyBuilder(context).fromRoute("expire-lapsed-offers").whenDone(4).create();
        MockEndpoint published = getMockEndpoint("mock:published");
        MockEndpoint requested = getMockEndpoint("mock:promotion-requested");
        published.expectedMessageCount(1);
        requested.expectedMessageCount(1);
        requested.expectedHeaderReceived("classId", CLASS);

        assertThat(sweeps.matches(10, TimeUnit.SECONDS)).isTrue();

        MockEndpoint.assertIsSatisfied(published, requested);
        Event expired = published.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(expired.type()).isEqualTo(Event.OFFER_EXPIRED);
        assertThat(expired.studentId()).isEqualTo(3);
        assertThat(expired.expiresAt()).isEqualTo(LAPSED.expiresAt());
        verify(waitlists).offersChanged(CLASS);
    }

    /** The class is gone (its removal crashed before ending the offer): the offer is withdrawn, nobody is told. */
    @Test
    void theOfferOfARemovedClassIsWithdrawnAndPassesNothingOn() throws Exception {
        when(offers.lapsed(anyInt())).thenReturn(List.of(LAPSED)).thenReturn(List.of());
        when(classes.find(CLASS)).thenReturn(Optional.empty());
        NotifyBuilder sweeps = new NotifyBuilder(context).fromRoute("expire-lapsed-offers").whenDone(3).create();

        assertThat(sweeps.matches(10, TimeUnit.SECONDS)).isTrue();

        verify(offers, timeout(1000)).withdraw(LAPSED);
        verify(offers, never()).expire(any(), any());
        assertThat(getMockEndpoint("mock:published").getReceivedCounter()).isZero();
        assertThat(getMockEndpoint("mock:promotion-requested").getReceivedCounter()).isZero();
    }
}
