package support;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test opened, after each test, last opened first (as try-with-resources would: a service before the
 * Redis or proxy it talks to); a JUnit 5 extension: {@code @RegisterExtension final Closing closing = new Closing();}.
 * Whatever it closes may have been closed by the test already (the service a test stops and starts again).
 */
public final class Closing implements AfterEachCallback {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /**
     * Closes the resource after the test.
     *
     * @param resource a server, receiver, service or proxy the test opened
     * @return the resource
     */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    /**
     * Closes them all, even when one fails.
     *
     * @throws Exception the first failure to close, the later ones suppressed in it
     */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failed = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
