package support;

import app.EnrollmentService;
import config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One service instance for a test class (a JUnit 5 extension: {@code @RegisterExtension static final RunningService
 * running = new RunningService();}), started before its first test and closed after its last, with a signing key
 * the service trusts, a client and the campus helpers.
 */
public final class RunningService implements BeforeAllCallback, AfterAllCallback {

    public final Tokens tokens = new Tokens();
    private final Map<String, String> variables;
    public EnrollmentService service;
    public Api api;
    public Campus campus;

    /** An instance with the shared stores' defaults. */
    public RunningService() {
        this(Map.of());
    }

    /** @param variables more environment for the instance (docs/api.md names), e.g. WEBHOOK_ALLOW_PRIVATE_NETWORKS */
    public RunningService(Map<String, String> variables) {
        this.variables = variables;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the instance: what {@link #beforeAll} does, for test engines without JUnit's extensions (jqwik). */
    public void start() throws Exception {
        Map<String, String> all = new java.util.HashMap<>(variables);
        all.put("JWT_PRIVATE_KEY_FILE", tokens.pemFile());
        service = TestService.start(all);
        api = new Api(service);
        campus = new Campus(api, tokens);
    }

    public void close() {
        service.close();
    }

    /**
     * {@code count} students as the service reads them, written straight into this instance's users table by
     * {@link StoredStudents} (100,000 accounts through the API would take hours of password hashing). Their tokens:
     * {@code tokens.student(id)}.
     *
     * @return their ids, fresh ({@link Tokens#freshId}), ascending
     */
    public List<Long> storedStudents(int count) {
        Settings settings = service.settings();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Tokens.freshId());
        }
        StoredStudents.put(settings.dynamoDbEndpoint(), settings.awsRegion(), settings.storePrefix(), ids);
        return ids;
    }

    /**
     * How many exchanges of a route failed so far, as JMX (and Hawtio) show it: what an operator watches for a
     * background route that fails again at every tick.
     *
     * @param routeId the route's id
     * @return its {@code ExchangesFailed}
     * @throws Exception when the route is not registered in JMX
     */
    public long failures(String routeId) throws Exception {
        return (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                new javax.management.ObjectName("org.apache.camel:context=" + service.camelContext().getManagementName()
                        + ",type=routes,name=\"" + routeId + "\""), "ExchangesFailed");
    }
}
