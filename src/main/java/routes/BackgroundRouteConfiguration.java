package routes;

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
 */
public class BackgroundRouteConfiguration extends RouteConfigurationBuilder {

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
    }
}
