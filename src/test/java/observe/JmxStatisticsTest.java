package observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.RunningService;

/** Operators watch the routes over JMX: every route is there, with Extended statistics that move with traffic. */
class JmxStatisticsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void theLoginRouteCountsTheRequestsItCompleted() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName login = new ObjectName("org.apache.camel:context="
                + running.service.camelContext().getManagementName()
                + ",type=routes,name=\"log-in\"");
        long before = (Long) jmx.getAttribute(login, "ExchangesCompleted");

        for (int i = 0; i < 3; i++) {
            running.api.registrarToken();
        }

        assertThat((Long) jmx.getAttribute(login, "ExchangesCompleted")).isEqualTo(before + 3);
        assertThat((String) jmx.getAttribute(login, "State")).isEqualTo("Started");
        assertThat((Long) jmx.getAttribute(login, "MaxProcessingTime")).isPositive();

        Set<ObjectName> routes = jmx.queryNames(new ObjectName("org.apache.camel:context="
                + running.service.camelContext().getManagementName() + ",type=routes,*"), null);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(running.service.camelContext().getRoutes().size());
    }
}
