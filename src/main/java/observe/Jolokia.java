package observe;

import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.jolokia.server.core.config.ConfigKey;

/**
 * Jolokia, JMX over HTTP, as Camel's platform-http plugin (camel-platform-http-jolokia), which the management
 * server mounts at {@code /observe/jolokia} on the API's Vert.x server ({@code camel.management.jolokia-enabled}),
 * with one of two Jolokia access policies (https://jolokia.org/reference/html/manual/security.html):
 * {@code jolokia-access.xml}, read-only (read, list, search, version), or {@code jolokia-access-exec.xml}, which
 * also lets operations run (JOLOKIA_ALLOW_EXEC). Who may call it at all is {@code api/ManagementAccess}'s part.
 */
public final class Jolokia {

    /** Read-only; also the location Camel's plugin reads by itself, so it holds wherever the plugin is made. */
    static final String READ_ONLY = "classpath:/jolokia-access.xml";
    static final String ALLOW_EXEC = "classpath:/jolokia-access-exec.xml";

    private Jolokia() {
    }

    /**
     * Makes the plugin (bind it under {@link JolokiaPlatformHttpPlugin#NAME} and the management server uses it).
     *
     * @param allowExec whether operations may be invoked; attributes are never written either way
     * @return the plugin, not started
     */
    public static JolokiaPlatformHttpPlugin plugin(boolean allowExec) {
        // The plugin reads its policy's location once, in its constructor, from nothing but Jolokia's system
        // property; it is set for that moment only (one service per JVM in production, several in the tests).
        String property = ConfigKey.POLICY_LOCATION.asSystemProperty();
        synchronized (Jolokia.class) {
            String before = System.getProperty(property);
            System.setProperty(property, allowExec ? ALLOW_EXEC : READ_ONLY);
            try {
                return new DefaultJolokiaPlatformHttpPlugin();
            } finally {
                if (before == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, before);
                }
            }
        }
    }
}
