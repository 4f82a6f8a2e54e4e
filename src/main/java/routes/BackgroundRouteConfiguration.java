package routes;

import notify.Attempt;
import notify.Deliveries;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import store.StoreFailures;

/**
 * Error handling of the routes no HTTP client waits on (event publishing, deliveries, timers), declared once:
 * a failure is logged and left unhandled, so a queue message is not acknowledged (it goes back to its queue,
 * store/Requeue.java) and a timer tries again on its next tick. A store that is down or not ready is one WARN line
 * per failure, without a stack trace (it passes when the store is back), and a timer's exchange is then handled,
 * as its next tick is the retry. The routes opt in with {@code routeConfigurationId("background")}.
 *
 * <p>Route {@code record-outcome} opts in with {@code routeConfigurationId("outcome")} instead: the target has
 * answered, and that answer must reach Redis before the attempt's lease ends, or the schedule attempts the delivery
 * again (a second send after a success). A store that is down or not ready is tried again at the step that failed,
 * after 0.25, 0.5, 1, then every 2 s (±15%, so the attempts in flight do not hit a Redis that comes back all at
 * once), for as long as the lease holds ({@code Deliveries.leaseHolds}); once it no longer does, the outcome is
 * left to the schedule, logged, and the attempt ends as if its instance had died.
 */
public class BackgroundRouteConfiguration extends RouteConfigurationBuilder {

    @BeanInject
    Deliveries deliveries;

    @Override
    public void configuration() {
        routeConfiguration("background")
                .onException(Exception.class)
                    .onWhen(exchange -> StoreFailures.isUnavailable(exchange.getException()))
                    // never for a queue message: handled would acknowledge it
                    .handled(exchangeProperty(Exchange.TIMER_NAME).isNotNull())
                    .logExhausted(false)
                    .log(LoggingLevel.WARN, "${routeId} failed and will be retried: a store is unavailable: "
                            + "${exception.message}")
                .end()
                .onException(Exception.class)
                    .log(LoggingLevel.WARN, "${routeId} failed and will be retried: ${exception.message}");

        // The steps that follow a change already stored (a drop, a decline, a lapse) and only ask for what comes of it:
        // a promotion (request-promotion), caches moved on (offers-changed). A failure must not turn the stored
        // change into an error answer, nor stop the flow that stored it: it is logged and the caller goes on; the
        // sweeps find what it missed (a seat the lists wait for), or the cached answers expire (ClassViews).
        routeConfiguration("after-commit")
                .onException(Exception.class)
                    .continued(true)
                    .logExhausted(false)
                    .log(LoggingLevel.WARN, "${routeId} for class ${header.classId} failed, the sweep will make up for "
                            + "it: ${exception.message}");

        // The reads that REST flows and background flows share (the class, the student's record, the switch): no
        // handling of their own, so a failure goes back to the caller, whose configuration answers it (a problem
        // answer, or a background flow's retry), rather than the API's answering for a background flow.
        routeConfiguration("shared-read").errorHandler(noErrorHandler());

        routeConfiguration("outcome")
                .onException(Exception.class)
                    .onWhen(exchange -> StoreFailures.isUnavailable(exchange.getException()))
                    .retryWhile(e -> deliveries.leaseHolds(Attempt.of(e).leasedAt()))
                    .redeliveryDelay(250).useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(2000)
                    .useCollisionAvoidance()
                    .handled(true)
                    .logExhausted(false)
                    .log(LoggingLevel.WARN, "the outcome ${exchangeProperty.attempt.outcome.kind} of delivery ${body.id} could "
                            + "not be recorded before its lease ends, the schedule will attempt it again: a store is "
                            + "unavailable: ${exception.message}")
                .end()
                .onException(Exception.class)
                    .log(LoggingLevel.WARN, "${routeId} failed and will be retried: ${exception.message}");
    }
}
