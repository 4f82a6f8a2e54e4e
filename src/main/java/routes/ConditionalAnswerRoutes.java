package routes;

import static api.Http.notModified;
import static api.Http.reply;

import api.Conditional;
import enrollment.ClassViews.View;
import org.apache.camel.builder.RouteBuilder;

/** The end of every cached GET: 304 when the client's copy is current, the answer with its validators otherwise. */
public class ConditionalAnswerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:answer-conditionally").routeId("answer-conditionally")
                .process(exchange -> Conditional.evaluate(exchange, exchange.getMessage().getBody(View.class)))
                .choice()
                    .when(exchangeProperty(Conditional.NOT_MODIFIED).isEqualTo(true))
                        .process(notModified())
                    .otherwise()
                        .process(reply(200))
                .end();
    }
}
