package app;

import config.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import store.StoreCheck;

/** {@code java -jar target/enrollment-service.jar}: runs one instance until the process is stopped. */
public final class Main {

    private Main() {
    }

    /**
     * Starts the service from the environment (API.md "Operations"). A configuration error or a store that refuses
     * the service ends the process with exit code 1 and one log line saying which and why.
     */
    public static void main(String[] args) throws Exception {
        EnrollmentService service;
        try {
            service = EnrollmentService.start(Settings.fromEnvironment());
        } catch (IllegalArgumentException | StoreCheck.StoreUnavailableException e) {
            LoggerFactory.getLogger(Main.class).error("start-up failed: {}", e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
