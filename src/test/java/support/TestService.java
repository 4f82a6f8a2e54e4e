package support;

import app.EnrollmentService;
import config.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Starts a service instance on a free loopback port with its own table prefix, on the shared test stores. */
public final class TestService {

    private TestService() {
    }

    public static EnrollmentService start() throws Exception {
        return start(Map.of());
    }

    /** Starts an instance; {@code variables} override the shared stores' environment (named as in docs/operations.md). */
    public static EnrollmentService start(Map<String, String> variables) throws Exception {
        Map<String, String> extra = new HashMap<>();
        extra.put("HTTP_PORT", Integer.toString(freePort()));
        extra.put("STORE_PREFIX", "t" + UUID.randomUUID().toString().substring(0, 8) + "-");
        extra.putAll(variables);
        return EnrollmentService.start(Settings.from(TestStores.environment(extra)));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
