package routes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

/**
 * Keeps each REST operation one route with its flow when its YAML file is reloaded on save (a model lifecycle
 * strategy: Camel Main registers it from the registry).
 *
 * <p>With {@code camel.rest.inline-routes} (application.properties) Camel's model (DefaultModel.addRouteDefinitions,
 * Camel 4.17) inlines the Java flow {@code from("direct:<flow>").routeId("<flow>")} into the REST route whose verb
 * sends {@code to: direct:<flow>}: one route with the flow's id, and the direct route's definition is dropped. A
 * reload of that YAML file brings a fresh REST route that sends to {@code direct:<flow>} again, which nothing
 * consumes any more (the request would wait 30 s for a consumer). This strategy remembers each flow's steps as its
 * definition enters the model (before or after Camel inlined it) and gives them to a fresh REST route that sends to
 * the flow's endpoint, as Camel's own inlining did at start.
 */
public final class InlinedFlows extends ModelLifecycleStrategySupport {

    private static final String DIRECT = "direct:";

    /**
     * direct endpoint URI → the definition whose outputs are that flow's steps: the flow's own {@code from("direct:")}
     * route, or the REST route Camel inlined it into (which it changes in place when the YAML came first)
     */
    private final Map<String, RouteDefinition> flows = new ConcurrentHashMap<>();

    /**
     * @param route a route definition entering the model: a direct flow, or a REST route that sends to one, is
     *              remembered; a REST route that sends to a flow Camel already inlined elsewhere gets its steps and id
     */
    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        String from = route.getInput() == null ? null : route.getInput().getEndpointUri();
        if (from != null && from.startsWith(DIRECT)) {
            flows.put(from, route);
            return;
        }
        // what the route does besides what the route configuration wove in (abstract: onException, interceptFrom)
        List<ProcessorDefinition<?>> steps = steps(route);
        if (route.getRestDefinition() == null || route.isInlined() || steps.size() != 1
                || !(steps.get(0) instanceof ToDefinition to) || to.getEndpointUri() == null
                || !to.getEndpointUri().startsWith(DIRECT)) {
            return;
        }
        RouteDefinition flow = flows.put(to.getEndpointUri(), route);
        if (flow != null && (flow.getRestDefinition() == null || flow.isInlined())) {
            // as DefaultModel inlines: the REST route keeps its woven-in parts and takes the flow's steps and id
            List<ProcessorDefinition<?>> flowSteps = steps(flow);
            route.getOutputs().removeAll(steps);
            route.getOutputs().addAll(flowSteps);
            flowSteps.forEach(step -> step.setParent(route));
            route.setId(flow.getId());
            route.markInlined();
        }
    }

    private static List<ProcessorDefinition<?>> steps(RouteDefinition route) {
        return route.getOutputs().stream().filter(output -> !output.isAbstract()).toList();
    }
}
