package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the routes no HTTP client waits on (event publishing, deliveries, timers), declared once:
 * a failure is logged and left unhandled, so a queue message goes back to the broker and a timer tries again
 * on its next tick. The routes opt in with {@code routeConfigurationId("background")}.
 */
public class BackgroundRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("background")
                .onException(Exception.class)
                    .log(LoggingLevel.WARN, "${routeId} failed and will be retried: ${exception.message}");
    }
}
