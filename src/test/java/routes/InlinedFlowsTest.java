package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetBodyDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;

/**
 * A REST operation and its Java flow are one route under one name (camel.rest.inline-routes), also after the YAML
 * file that declares the operation is loaded again: Camel's model, seen without a server or a store.
 */
class InlinedFlowsTest {

    /** The Java side: the flow, as in routes/*Routes. */
    static RouteBuilder flow() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:greet").routeId("greet").setBody(constant("hello"));
            }
        };
    }

    /** The YAML side: the operation, sending to the flow of its name. */
    static RouteBuilder operation() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                rest("/greetings").get().id("greet").to("direct:greet");
            }
        };
    }

    @Test
    void theOperationKeepsItsFlowWhenItsFileIsLoadedAgain() throws Exception {
        assertThat(routesAfterReload(true)).last().satisfies(InlinedFlowsTest::isTheFlow);
    }

    @Test
    void withoutItTheReloadedOperationSendsToAnEndpointNobodyConsumes() throws Exception {
        RouteDefinition reloaded = routesAfterReload(false).get(1);
        assertThat(reloaded.getOutputs()).singleElement().isInstanceOfSatisfying(ToDefinition.class,
                to -> assertThat(to.getEndpointUri()).isEqualTo("direct:greet"));
    }

    /** The REST routes of the model: the one built at start, then the one of the file loaded again. */
    private static List<RouteDefinition> routesAfterReload(boolean inlinedFlows) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRestConfiguration().setInlineRoutes(true);
            Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
            if (inlinedFlows) {
                model.addModelLifecycleStrategy(new InlinedFlows());
            }
            camel.addRoutes(flow());
            camel.addRoutes(operation());
            List<RouteDefinition> atStart = rest(model);
            assertThat(atStart).singleElement().satisfies(InlinedFlowsTest::isTheFlow);
            assertThat(model.getRouteDefinitions()).noneMatch(r -> r.getInput().getEndpointUri().startsWith("direct:"));

            camel.addRoutes(operation());
            List<RouteDefinition> routes = rest(model);
            assertThat(routes).hasSize(2);
            return routes;
        }
    }

    private static List<RouteDefinition> rest(Model model) {
        return model.getRouteDefinitions().stream().filter(r -> r.getRestDefinition() != null).toList();
    }

    private static void isTheFlow(RouteDefinition route) {
        assertThat(route.getId()).isEqualTo("greet");
        assertThat(route.isInlined()).isTrue();
        assertThat(route.getOutputs()).singleElement().isInstanceOf(SetBodyDefinition.class);
    }
}
