package bench;

import embedded.EmbeddedBroker;
import embedded.EmbeddedRedis;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Registration rush: thousands of students enroll at the same moment (bench/rush.sh starts everything and calls
 * this program in each of its modes).
 *
 *   java -cp "$CP" bench.RushBench dynamodb            DynamoDB Local (in memory) on 127.0.0.1, counting its requests
 *   java -cp "$CP" bench.RushBench broker              an AMQP 0-9-1 broker (the project's embedded Qpid) on 127.0.0.1
 *   java -cp "$CP" bench.RushBench redis               the project's embedded redis-server (when Debian's is missing)
 *   java -cp "$CP" bench.RushBench probe http://127.0.0.1:PORT [SECONDS]
 *                                                DynamoDB Local's own throughput, from an SDK client
 *   java -cp "$CP" bench.RushBench rush --bases http://127.0.0.1:P1[,http://127.0.0.1:P2] --key key.pem --label NAME
 *        --students N --classes C --capacity K [--concurrency 256] [--latency-ms 10] [--proxy URL] [--dynamodb URL]
 *        [--pids name=pid,...] [--warmup 1000] [--warm BASE,...]
 *        [--tx-ms MS --tx-rate N --get-rate N] [--timeout 60] [--results FILE] [--waves W [--gap 60]]
 *        [--store-prefix rush-]
 *
 * CP = the class path the build compiles this with (bench_classpath in bench/processes.sh: target/test-classes,
 * target/classes and target/bench-classpath.txt): the embedded stand-ins, DynamoDB Local, Jetty 12, the AWS SDK and
 * support.Tokens come from there. Servers print one line "&lt;mode&gt; &lt;endpoint&gt;" when up and stop on SIGTERM.
 * Everything listens on and talks to 127.0.0.1 only; the rush ends by count (every student once) and by time (a
 * watchdog), and the program exits by itself (exit code 1 when the outcome counts or the stored state are not the
 * expected ones, 2 on bad arguments, 3 on the watchdog).
 *
 * The parts: {@link CountingDynamoDb} (mode dynamodb), {@link DynamoDbProbe} (probe), and the rush: its options
 * ({@link RushOptions}, which say what the rush is), the load client ({@link RushClient}), the rush itself
 * ({@link Rush}: warm-up, the rush at once or staged by registration windows, the stored state checked), what it
 * cost ({@link RushMeters}) and the figures ({@link RushReport}).
 */
public class RushBench {

    /**
     * Runs the mode {@code args[0]} with the rest of the arguments.
     *
     * @param args the mode and its arguments (see the class comment); exits with 2 after the usage on bad ones
     * @throws Exception when a server does not start, or the rush fails outside its counted outcomes
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("a mode is required");
        }
        switch (args[0]) {
            case "dynamodb" -> {
                CountingDynamoDb dynamoDb = new CountingDynamoDb();
                serve("dynamodb " + dynamoDb.endpoint(), dynamoDb::close);
            }
            case "broker" -> {
                EmbeddedBroker broker = EmbeddedBroker.start(null);   // in memory
                serve("broker " + broker.endpoint(), broker::close);
            }
            case "redis" -> {
                EmbeddedRedis redis = EmbeddedRedis.start(null);   // in memory
                serve("redis " + redis.endpoint(), redis::close);
            }
            case "probe" -> {
                String endpoint = args.length > 1 ? args[1] : null;
                int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
                if (endpoint == null || !endpoint.startsWith("http://127.0.0.1:")) {
                    usage("probe needs DynamoDB Local's http://127.0.0.1:PORT");
                }
                DynamoDbProbe.run(endpoint, seconds);
            }
            case "rush" -> System.exit(new Rush(new RushOptions(Arrays.copyOfRange(args, 1, args.length))).run());
            default -> usage("unknown mode " + args[0]);
        }
    }

    /** Prints the ready line, then waits for SIGTERM/SIGINT, which runs {@code stop}. */
    static void serve(String ready, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }, "rush-bench-stop"));
        System.out.println(ready);
        System.out.flush();
        stopped.await();
    }

    /** Prints the problem and the usage to stderr and exits with 2. */
    static void usage(String problem) {
        System.err.println("RushBench: " + problem);
        System.err.println("usage: java -cp CP bench.RushBench dynamodb|broker|redis");
        System.err.println("       java -cp CP bench.RushBench probe http://127.0.0.1:PORT [SECONDS]");
        System.err.println("       java -cp CP bench.RushBench rush --bases http://127.0.0.1:P[,http://127.0.0.1:P2] "
                + "--key KEY.pem --students N --classes C --capacity K [--concurrency 256] [--latency-ms 10] "
                + "[--proxy URL] [--dynamodb URL] [--pids name=pid,...] [--warmup 1000] [--warm BASE,...] "
                + "[--tx-ms MS --tx-rate N --get-rate N] [--timeout 60] [--label NAME] [--results FILE] "
                + "[--waves W [--gap SECONDS]] [--store-prefix rush-]");
        System.exit(2);
    }
}
