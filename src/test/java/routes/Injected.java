package routes;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.support.PluginHelper;

/** Route builders as Camel Main hands them to the context, for the route tests. */
final class Injected {

    private Injected() {
    }

    /**
     * Sets the builder's {@code @BeanInject} and {@code @PropertyInject} fields from the context's registry and
     * properties, as Camel Main's RoutesConfigurer does with the builders it is given; CamelTestSupport only adds them.
     *
     * @param context the test's context, its registry already bound
     * @param routes the route builder
     * @return {@code routes}, injected
     * @throws Exception when a bean it names is missing, or of several of its type
     */
    static <T extends RoutesBuilder> T routes(CamelContext context, T routes) throws Exception {
        CamelBeanPostProcessor injector = PluginHelper.getBeanPostProcessor(context);
        String name = routes.getClass().getSimpleName();
        injector.postProcessBeforeInitialization(routes, name);
        injector.postProcessAfterInitialization(routes, name);
        return routes;
    }
}
