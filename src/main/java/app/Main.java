package app;

import config.Settings;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.StoreCheck;
import sun.misc.Signal;

/**
 * {@code java -jar target/enrollment-service.jar} (stand-ins for the stores left unset) or
 * {@code java -jar target/enrollment-service-lean.jar} (every store configured): runs one instance until the process
 * is stopped.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /**
     * Starts the service from the environment (docs/operations.md "Configuration"). A configuration error (the lean
     * jar with a store unset among them) or a store that refuses the service ends the process with exit code 1 and
     * one log line saying which and why. SIGTERM and SIGINT
     * (Ctrl-C) stop it in order ({@link EnrollmentService#close()}) and end the process with exit code 0.
     */
    public static void main(String[] args) throws Exception {
        EnrollmentService service;
        try {
            service = EnrollmentService.start(Settings.fromEnvironment());
        } catch (IllegalArgumentException | StoreCheck.StoreUnavailableException e) {
            LOG.error("start-up failed: {}", e.getMessage());
            System.exit(1);
            return;
        }
        // The signals are handled here rather than by the JVM's shutdown hooks: Qpid Broker-J, embedded-redis and
        // log4j each register a hook of their own, and the JVM runs all hooks at once, so the stores would stop
        // under routes still using them. Here the service stops first; the hooks then find nothing left to do.
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    LOG.info("SIG{}: stopping", signal.getName());
                    service.close();
                    System.exit(0);
                }
            });
        }
        // System.exit from anywhere else still stops the service, if less orderly
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                service.close();
            }
        }, "shutdown"));
        Thread.currentThread().join();
    }
}
