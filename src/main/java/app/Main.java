package app;

import java.util.concurrent.CountDownLatch;

/** {@code java -jar target/enrollment-service.jar}: runs one instance until the process is stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        EnrollmentService service = EnrollmentService.start(Settings.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
