package observe;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.TestService;

/** Operators watch the routes over JMX: every route is there, with Extended statistics that move with traffic. */
class JmxStatisticsTest {

    static EnrollmentService service;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start();
        api = new Api(service);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void theLoginRouteCountsTheRequestsItCompleted() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName login = new ObjectName("org.apache.camel:context=" + service.camelContext().getManagementName()
                + ",type=routes,name=\"log-in\"");
        long before = (Long) jmx.getAttribute(login, "ExchangesCompleted");

        for (int i = 0; i < 3; i++) {
            api.registrarToken();
        }

        assertThat((Long) jmx.getAttribute(login, "ExchangesCompleted")).isEqualTo(before + 3);
        assertThat((String) jmx.getAttribute(login, "State")).isEqualTo("Started");
        assertThat((Long) jmx.getAttribute(login, "MaxProcessingTime")).isPositive();

        Set<ObjectName> routes = jmx.queryNames(new ObjectName("org.apache.camel:context="
                + service.camelContext().getManagementName() + ",type=routes,*"), null);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(service.camelContext().getRoutes().size());
    }
}
