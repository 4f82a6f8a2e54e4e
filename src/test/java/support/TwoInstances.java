package support;

import app.EnrollmentService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two service instances for a test class, sharing DynamoDB and Redis (one store prefix, one signing key) the way two
 * JVMs behind a load balancer would, with the campus helpers on the first; a JUnit 5 extension like
 * {@link RunningService}: {@code @RegisterExtension static final TwoInstances both = new TwoInstances("race",
 * Map.of());}.
 */
public final class TwoInstances implements BeforeAllCallback, AfterAllCallback {

    public final Tokens tokens = new Tokens();
    private final String storePrefix;
    private final Map<String, String> variables;
    public EnrollmentService first;
    public EnrollmentService second;
    /** The campus helpers, on the first instance. */
    public Campus campus;
    /** A client of each instance: the first's ({@code campus.api}), then the second's. */
    public List<Api> instances;

    /**
     * @param storePrefix the start of the tables' names, made unique on start (a fresh id and a dash follow it)
     * @param variables more environment for both instances (docs/api.md names), e.g. MAX_CREDITS
     */
    public TwoInstances(String storePrefix, Map<String, String> variables) {
        this.storePrefix = storePrefix;
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

    /**
     * Starts both instances: what {@link #beforeAll} does, for a test class that must start something they talk to
     * first (a proxy in front of DynamoDB).
     *
     * @throws Exception when an instance does not start
     */
    public void start() throws Exception {
        Map<String, String> shared = new HashMap<>(variables);
        shared.put("JWT_PRIVATE_KEY_FILE", tokens.pemFile());
        shared.put("STORE_PREFIX", storePrefix + Tokens.freshId() + "-");
        first = TestService.start(shared);
        second = TestService.start(shared);
        campus = new Campus(new Api(first), tokens);
        instances = List.of(campus.api, new Api(second));
    }

    /** Stops both instances. */
    public void close() {
        first.close();
        second.close();
    }
}
