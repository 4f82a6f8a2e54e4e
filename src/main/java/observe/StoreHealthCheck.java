package observe;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** A readiness and liveness check that is UP while one round trip to a store succeeds. */
public final class StoreHealthCheck extends AbstractHealthCheck {

    /** One round trip to the store; throws when the store does not answer. */
    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }

    private final Probe probe;

    public StoreHealthCheck(String store, Probe probe) {
        super("stores", store);
        this.probe = probe;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            probe.run();
            builder.up();
        } catch (Exception e) {
            builder.down().message(getId() + " is unreachable");
        }
    }
}
