package observe;

import static org.assertj.core.api.Assertions.assertThat;
import static support.Background.eventually;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Campus;
import support.RunningService;

/** Operators watch the routes over JMX: every route is there, with Extended statistics that move with traffic. */
class JmxStatisticsTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    /**
     * A store call's step id → the route it belongs to and the endpoint scheme it sends to (null for a step that
     * calls a store's gateway: transactions, Lua scripts and the reads the README's component table names).
     */
    record StoreStep(String route, String scheme) {
    }

    static final Map<String, StoreStep> STORE_STEPS = Map.of(
            "get-class-row", new StoreStep("find-class", "aws2-ddb:"),
            "query-enrollment-rows", new StoreStep("query-enrolled-students", "aws2-ddb:"),
            "query-drop-rows", new StoreStep("query-dropped-students", "aws2-ddb:"),
            "get-auto-enrollment-row", new StoreStep("read-auto-enrollment", "aws2-ddb:"),
            "put-auto-enrollment-row", new StoreStep("switch-auto-enrollment", "aws2-ddb:"),
            "waitlist-rank", new StoreStep("add-class", null),
            "read-dead-letters", new StoreStep("list-dead-letters", "spring-redis:"),
            "get-instructor-row", new StoreStep("check-instructor", null),
            "mark-event-published", new StoreStep("publish-event", "aws2-ddb:"));

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

    /**
     * Hawtio and JMX show each plain store call as a step of its route, with its own id, that counts the requests
     * that went through it; one that sends to an endpoint names it, and the endpoint is registered.
     */
    @Test
    void everyStoreCallIsAStepOfItsRouteThatCountsTheRequests() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        String context = running.service.camelContext().getManagementName();
        Map<String, Long> before = new LinkedHashMap<>();
        for (String step : STORE_STEPS.keySet()) {
            before.put(step, (Long) jmx.getAttribute(processor(context, step), "ExchangesCompleted"));
        }
        Campus campus = running.campus;
        long classId = campus.newClass(1);
        Campus.Student seated = campus.student();
        Campus.Student waiting = campus.student();

        assertThat(campus.enroll(seated, classId).status()).isEqualTo(201);
        assertThat(campus.enroll(waiting, classId).status()).isEqualTo(202);
        assertThat(campus.enroll(waiting, classId).json().get("code").asText()).isEqualTo("already-waitlisted");
        String owner = running.tokens.token(campus.showClass(classId).get("instructorId").asLong(), "Owner", "Instructor");
        assertThat(running.api.get("/instructor/classes/" + classId + "/enrolled", owner).json().get("students"))
                .extracting(student -> student.get("id").asLong()).containsExactly(seated.id());
        assertThat(campus.drop(seated, classId).status()).isEqualTo(200);
        eventually(() -> assertThat(running.api.get("/student/enrollments", waiting.token()).json().get("enrolled"))
                .extracting(course -> course.get("id").asLong()).containsExactly(classId));
        assertThat(running.api.get("/instructor/classes/" + classId + "/dropped", owner).json().get("students"))
                .extracting(student -> student.get("id").asLong()).containsExactly(seated.id());
        assertThat(running.api.send("PUT", "/registrar/auto-enrollment", campus.registrar, Map.of("enabled", true), Map.of())
                .json().get("enabled").asBoolean()).isTrue();
        assertThat(running.api.get("/registrar/dead-letters", campus.registrar).status()).isEqualTo(200);

        for (Map.Entry<String, StoreStep> step : STORE_STEPS.entrySet()) {
            ObjectName name = processor(context, step.getKey());
            assertThat((String) jmx.getAttribute(name, "RouteId")).as(step.getKey()).isEqualTo(step.getValue().route());
            if (step.getValue().scheme() != null) {
                assertThat((String) jmx.getAttribute(name, "Destination")).as(step.getKey())
                        .startsWith(step.getValue().scheme());
            }
            assertThat((Long) jmx.getAttribute(name, "ExchangesCompleted")).as(step.getKey())
                    .isGreaterThan(before.get(step.getKey()));
        }
        // one PUT, one listing: exactly one call each
        assertThat((Long) jmx.getAttribute(processor(context, "put-auto-enrollment-row"), "ExchangesCompleted"))
                .isEqualTo(before.get("put-auto-enrollment-row") + 1);
        assertThat((Long) jmx.getAttribute(processor(context, "read-dead-letters"), "ExchangesCompleted"))
                .isEqualTo(before.get("read-dead-letters") + 1);

        List<String> endpoints = jmx.queryNames(new ObjectName("org.apache.camel:context=" + context
                + ",type=endpoints,*"), null).stream().map(endpoint -> {
                    try {
                        return (String) jmx.getAttribute(endpoint, "EndpointUri");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        assertThat(endpoints).anyMatch(uri -> uri.startsWith("spring-redis://"));
    }

    private static ObjectName processor(String context, String id) throws Exception {
        return new ObjectName("org.apache.camel:context=" + context + ",type=processors,name=\"" + id + "\"");
    }
}
