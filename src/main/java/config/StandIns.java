package config;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What runs in place of the stores whose address the environment leaves unset (docs/operations.md,
 * "Configuration"). The stand-alone jar ({@code target/enrollment-service.jar}, the tests, {@code bin/run}) carries
 * the embedded stand-ins (the {@code embedded} package) and names them in {@code META-INF/services/config.StandIns};
 * the lean jar ({@code target/enrollment-service-lean.jar}, the Docker image) carries none, and then an unset store
 * is a configuration error. Found with {@link ServiceLoader}, the JDK's own plug-in look-up, so that the service's
 * assembly compiles and runs without the stand-ins' classes.
 */
public interface StandIns extends AutoCloseable {

    /**
     * Starts a stand-in for each store whose address is null in {@code settings}.
     *
     * @return the same settings with the stand-ins' addresses filled in
     * @throws IllegalArgumentException when a store is unset and there is nothing to stand in for it (the message
     *         names the variables to set)
     */
    Settings startMissing(Settings settings);

    /** Stops what {@link #startMissing} started; stopping twice does nothing. */
    @Override
    void close();

    /** The stand-ins this jar carries (the first {@code config.StandIns} service found), or {@link #none()}. */
    static StandIns available() {
        return ServiceLoader.load(StandIns.class).findFirst().orElseGet(StandIns::none);
    }

    /**
     * The lean jar's answer: no stand-ins, every store must be configured.
     *
     * @return stand-ins whose {@link #startMissing} returns {@code settings} unchanged when every store is set and
     *         otherwise throws IllegalArgumentException naming each unset variable
     */
    static StandIns none() {
        return new StandIns() {
            @Override
            public Settings startMissing(Settings settings) {
                List<String> unset = new ArrayList<>();
                if (settings.dynamoDbEndpoint() == null) {
                    unset.add("DYNAMODB_ENDPOINT");
                }
                if (settings.redisUrl() == null) {
                    unset.add("REDIS_URL");
                }
                if (settings.rabbitMqUrls() == null) {
                    unset.add("RABBITMQ_URL");
                }
                if (settings.smtpHost() == null) {
                    unset.add("SMTP_HOST");
                }
                if (!unset.isEmpty()) {
                    throw new IllegalArgumentException(String.join(", ", unset) + (unset.size() == 1 ? " is" : " are")
                            + " not set, and this jar has no embedded stand-ins: set "
                            + (unset.size() == 1 ? "it" : "them") + " (docs/operations.md \"Configuration\"), or run"
                            + " the stand-alone target/enrollment-service.jar");
                }
                return settings;
            }

            @Override
            public void close() {
            }
        };
    }
}
