package bench;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The notification pipeline under load, against a running service (bench/notifications.sh starts it with real
 * RabbitMQ and Redis): auto-enrollment → outbox → fanout `notify` → queues `email` / `webhook` → SMTP / HTTP.
 *
 *   java -cp "$CP" bench.NotifyBench --base http://127.0.0.1:PORT --key key.pem --smtp-port P --hook-port P \
 *        [--amqp amqp://guest:guest@127.0.0.1:PORT] [--rate 200] [--duration 20] [--b-duration 20] \
 *        [--b-concurrency 32] [--b-classes N] [--c-rate 1000] [--c-duration 20] [--phases ABC]
 *
 * CP = the class path the build compiles this with (bench_classpath in bench/processes.sh: target/test-classes,
 * target/classes and target/bench-classpath.txt); tokens are minted and webhook signatures checked by the
 * tests' own support.Tokens and support.WebhookReceiver. Everything listens on and talks to 127.0.0.1 only; every loop
 * ends by count and by time, a watchdog bounds the whole run, and the program exits by itself (exit code 1 when a
 * phase lost events, 2 on bad arguments, 3 on the watchdog).
 *
 * Setup: classes of capacity 1, each with one seated student and `waiting` students on its waiting list, each of
 * them subscribed with an email address (GreenMail here) and a webhook (the receiver here). A drop by the seated
 * student promotes the first waiting one: one `enrolled` event → one webhook + one email.
 *   A  latency: drops at a fixed rate ({@link LatencyPhase}).
 *   B  throughput: N concurrent drop loops as fast as the API answers ({@link ThroughputPhase}).
 *   C  delivery side alone (needs --amqp): events published straight to `notify` ({@link DeliveryPhase}).
 *   H  head-of-line blocking (needs --amqp): hanging webhook targets beside a healthy one ({@link HeadOfLinePhase}).
 *
 * The parts: the options ({@link NotifyOptions}), the stand-ins (the SMTP server {@link MailSink}, the webhook
 * receiver {@link HookReceiver}, the broker tap {@link BrokerTap}), the client of the service
 * ({@link NotifyClient}), the phases (each a {@link NotifyPhase}) and what they print ({@link NotifyReport}).
 */
public class NotifyBench {

    /**
     * Runs the phases --phases names, in the order A, B, C, H.
     *
     * @param args the options (see the usage); exits with 2 after the usage on bad ones, 1 when a phase lost events
     * @throws Exception when a stand-in does not start or the service or broker fails outside the counted outcomes
     */
    public static void main(String[] args) throws Exception {
        NotifyOptions options = new NotifyOptions(args);
        long started = System.currentTimeMillis();
        Client.watchdog(options.runLimitMillis());

        HookReceiver hooks = new HookReceiver(options.hookPort);
        NotifyClient load = new NotifyClient(options, hooks);
        MailSink mail = new MailSink(options.smtpPort, options.smtpNoDelay);
        mail.start();
        hooks.start();
        BrokerTap tap = new BrokerTap();
        NotifyReport report = new NotifyReport(hooks, mail, tap, options.drainSeconds);
        Connection amqp = null;
        System.out.printf("bench: GreenMail SMTP on 127.0.0.1:%d (TCP_NODELAY %s), webhook receiver on 127.0.0.1:%d, "
                + "service %s%s%n", options.smtpPort, options.smtpNoDelay ? "on" : "off", options.hookPort,
                options.base, options.amqpUrl == null ? "" : ", broker tap on");

        boolean ok = true;
        try {
            if (options.amqpUrl != null) {
                ConnectionFactory factory = new ConnectionFactory();
                factory.setUri(options.amqpUrl);
                factory.setConnectionTimeout(5000);
                amqp = factory.newConnection("notify-bench");
            }
            load.signIn();
            if (amqp != null) {
                tap.start(amqp);
            }
            double achievedA = 0;   // drops answered 200 per second in phase A
            if (options.phases.contains("A")) {
                int classesA = (int) Math.ceil(options.rate * options.durationA / options.waiting * 1.1) + 4;
                LatencyPhase phaseA = new LatencyPhase(options, load, report);
                ok &= phaseA.run(load.setup('A', classesA));
                achievedA = phaseA.achieved();
            }
            if (options.phases.contains("B")) {
                int classesB = options.classesB;
                if (classesB == 0) {
                    // enough waiting students for twice the drop rate phase A achieved (or asked, without phase A)
                    double expected = Math.max(50, 2 * (achievedA > 0 ? achievedA : options.rate));
                    classesB = (int) Math.min(20_000, Math.ceil(expected * options.durationB / options.waiting * 1.2));
                }
                ok &= new ThroughputPhase(options, load, report).run(load.setup('B', classesB));
            }
            tap.close();   // phase C measures the service's consumers alone
            if (options.phases.contains("C")) {
                ok &= amqp == null ? skipped('C') : new DeliveryPhase(options, load, report).run(amqp);
            }
            if (options.phases.contains("H")) {
                ok &= amqp == null ? skipped('H') : new HeadOfLinePhase(options, load, report).run(amqp);
            }
        } finally {
            if (amqp != null) {
                amqp.abort(2000);
            }
            hooks.stop();
            mail.stop();
            load.close();
            System.out.printf("bench: done in %.1f s%n", (System.currentTimeMillis() - started) / 1000.0);
        }
        System.exit(ok ? 0 : 1);
    }

    /** Says that the phase, which needs the broker, is skipped; returns true (it lost nothing). */
    private static boolean skipped(char phase) {
        System.out.println("\n== phase " + phase + " skipped: it needs --amqp");
        return true;
    }

    /** Prints the problem and the usage to stderr and exits with 2. */
    static void usage(String problem) {
        System.err.println("NotifyBench: " + problem);
        System.err.println("usage: java -cp CP bench.NotifyBench --base http://127.0.0.1:PORT --key KEY.pem "
                + "--smtp-port P --hook-port P [--amqp amqp://guest:guest@127.0.0.1:PORT] [--phases ABC] "
                + "[--rate 200] [--duration 20] [--b-duration 20] [--b-concurrency 32] "
                + "[--b-classes 0 (= sized from phase A)] [--waiting 15] [--c-rate 1000 (0 = full speed)] "
                + "[--c-duration 20] [--c-warmup 10] [--c-subscribers 600] "
                + "[--c-email true] [--smtp-nodelay true] [--setup-threads 16] [--drain 120] "
                + "[--h-hanging 0,20,200] [--h-period 500] [--h-duration 30]");
        System.exit(2);
    }
}
