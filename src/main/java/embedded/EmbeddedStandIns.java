package embedded;

import config.Settings;
import config.StandIns;

/**
 * The stand-alone jar's {@link StandIns}: {@link EmbeddedStores} for every store the environment leaves unset.
 * Named in {@code META-INF/services/config.StandIns}, which the lean jar leaves out with this package.
 */
public final class EmbeddedStandIns implements StandIns {

    private EmbeddedStores started;

    /** For {@link java.util.ServiceLoader}: nothing starts before {@link #startMissing}. */
    public EmbeddedStandIns() {
    }

    /** {@inheritDoc} See {@link EmbeddedStores#startMissing} for how they start and where they keep their data. */
    @Override
    public Settings startMissing(Settings settings) {
        started = EmbeddedStores.startMissing(settings);
        return started.settings();
    }

    @Override
    public void close() {
        if (started != null) {
            started.close();
        }
    }
}
