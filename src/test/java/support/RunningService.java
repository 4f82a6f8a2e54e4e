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
 * the service trusts, a client and the campus helpers; or, made by {@link #pair}, two instances sharing DynamoDB and
 * Redis the way two JVMs behind a load balancer would.
 */
public final class RunningService implements BeforeAllCallback, AfterAllCallback {

    public final Tokens tokens = new Tokens();
    private final Map<String, String> variables;
    /** The store prefix both instances of a pair share (a fresh id and a dash follow it); null for one instance. */
    private final String pairPrefix;
    /** The instance (the first of a pair). */
    public EnrollmentService service;
    /** The second instance of a pair; null for one instance. */
    public EnrollmentService second;
    public Api api;
    /** The campus helpers, on {@link #service}. */
    public Campus campus;
    /** A client of each instance: {@link #api}, then the second's in a pair. */
    public List<Api> instances;

    /** An instance with the shared stores' defaults. */
    public RunningService() {
        this(Map.of());
    }

    /** @param variables more environment for the instance (docs/api.md names), e.g. WEBHOOK_ALLOW_PRIVATE_NETWORKS */
    public RunningService(Map<String, String> variables) {
        this(variables, null);
    }

    private RunningService(Map<String, String> variables, String pairPrefix) {
        this.variables = variables;
        this.pairPrefix = pairPrefix;
    }

    /**
     * Two instances sharing the stores (one store prefix) and the signing key.
     *
     * @param storePrefix the start of their tables' names, made unique on start
     * @param variables more environment for both (docs/api.md names), e.g. MAX_CREDITS
     * @return the extension, not started yet
     */
    public static RunningService pair(String storePrefix, Map<String, String> variables) {
        return new RunningService(variables, storePrefix);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Starts the instance (or both of a pair): what {@link #beforeAll} does, for test engines without JUnit's
     * extensions (jqwik) and test classes that must start something first (a proxy in front of DynamoDB).
     */
    public void start() throws Exception {
        Map<String, String> all = new java.util.HashMap<>(variables);
        all.put("JWT_PRIVATE_KEY_FILE", tokens.pemFile());
        if (pairPrefix != null) {
            all.put("STORE_PREFIX", pairPrefix + Tokens.freshId() + "-");
        }
        service = TestService.start(all);
        api = new Api(service);
        campus = new Campus(api, tokens);
        if (pairPrefix == null) {
            instances = List.of(api);
        } else {
            second = TestService.start(all);
            instances = List.of(api, new Api(second));
        }
    }

    public void close() {
        service.close();
        if (second != null) {
            second.close();
        }
    }

    /**
     * One of the instance's beans, to drive a step of the service directly (what a crashed instance left half done).
     *
     * @param name the bean's name in the instance's Camel registry
     * @param type its type
     * @return the bean, or null when there is none of that name and type
     */
    public <T> T bean(String name, Class<T> type) {
        return service.camelContext().getRegistry().lookupByNameAndType(name, type);
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
