package embedded;

import config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stand-ins for the stores whose address is not configured (docs/operations.md, "Configuration"): DynamoDB Local,
 * Redis, an AMQP 0-9-1 broker and an SMTP server, each started only when its setting is unset, all on 127.0.0.1.
 * With every address set, nothing starts. Each keeps its data in a directory of its own under {@code DATA_DIR}
 * ({@code dynamodb/}, {@code redis/}, {@code broker/}, {@code mail/}), or in memory with {@code DATA_DIR=memory}.
 */
public final class EmbeddedStores implements AutoCloseable {

    // Made on the caller's thread before the stand-ins start in parallel: while SLF4J initialises, it drops what
    // other threads log, and the stand-ins' start-up lines would be lost.
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStores.class);

    private final Settings settings;
    private final EmbeddedSmtp smtp;
    private final List<AutoCloseable> started;

    private EmbeddedStores(Settings settings, EmbeddedSmtp smtp, List<AutoCloseable> started) {
        this.settings = settings;
        this.smtp = smtp;
        this.started = started;
    }

    /**
     * Starts a stand-in for each store whose address is null in {@code settings}, all at once (each takes up to
     * about two seconds in a fresh JVM, mostly class loading). If one fails, the others are stopped again and the
     * failure is thrown.
     */
    public static EmbeddedStores startMissing(Settings settings) {
        long startedAt = System.nanoTime();
        ExecutorService starter = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "embedded-store-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Path data = settings.dataDirectory();
            Future<EmbeddedDynamoDb> dynamoDbStart = startIf(settings.dynamoDbEndpoint() == null, starter,
                    () -> EmbeddedDynamoDb.start(within(data, "dynamodb")));
            Future<EmbeddedRedis> redisStart = startIf(settings.redisUrl() == null, starter,
                    () -> EmbeddedRedis.start(within(data, "redis")));
            Future<EmbeddedBroker> brokerStart = startIf(settings.rabbitMqUrls() == null, starter,
                    () -> EmbeddedBroker.start(within(data, "broker")));
            Future<EmbeddedSmtp> smtpStart = startIf(settings.smtpHost() == null, starter,
                    () -> EmbeddedSmtp.start(within(data, "mail")));

            List<AutoCloseable> started = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            EmbeddedDynamoDb dynamoDb = await(dynamoDbStart, started, failures);
            EmbeddedRedis redis = await(redisStart, started, failures);
            EmbeddedBroker broker = await(brokerStart, started, failures);
            EmbeddedSmtp smtp = await(smtpStart, started, failures);
            if (!failures.isEmpty()) {
                IllegalStateException failure =
                        new IllegalStateException("an embedded store did not start", failures.get(0));
                failures.subList(1, failures.size()).forEach(failure::addSuppressed);
                stopInReverse(started, failure);
                throw failure;
            }
            Settings filled = settings.withStores(
                    dynamoDb != null ? dynamoDb.endpoint() : settings.dynamoDbEndpoint(),
                    redis != null ? redis.endpoint() : settings.redisUrl(),
                    broker != null ? java.util.List.of(broker.endpoint()) : settings.rabbitMqUrls(),
                    smtp != null ? smtp.host() : settings.smtpHost(),
                    smtp != null ? smtp.port() : settings.smtpPort());
            if (!started.isEmpty()) {
                LOG.info("Embedded stand-ins up in {} ms", (System.nanoTime() - startedAt) / 1_000_000);
            }
            return new EmbeddedStores(filled, smtp, started);
        } finally {
            starter.shutdown();
        }
    }

    /** The settings given to {@link #startMissing}, with the stand-ins' addresses filled in. */
    public Settings settings() {
        return settings;
    }

    /** The embedded SMTP server, so a test can read what it received; null when {@code SMTP_HOST} is set. */
    public EmbeddedSmtp smtp() {
        return smtp;
    }

    /** Stops the stand-ins in the reverse order of {@link #startMissing}; stopping twice does nothing. */
    @Override
    public void close() {
        IllegalStateException failure = new IllegalStateException("an embedded store did not stop");
        stopInReverse(started, failure);
        started.clear();
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** A stand-in's own directory under DATA_DIR, or null when everything stays in memory. */
    private static Path within(Path dataDirectory, String store) {
        return dataDirectory == null ? null : dataDirectory.resolve(store);
    }

    private static <T> Future<T> startIf(boolean missing, ExecutorService starter, Callable<T> start) {
        return missing ? starter.submit(start) : null;
    }

    private static <T extends AutoCloseable> T await(Future<T> start, List<AutoCloseable> started,
            List<Throwable> failures) {
        if (start == null) {
            return null;
        }
        // Wait out an interrupt too: a start cannot be called off half-way, and a store left running unseen
        // would hold its port until the JVM exits. Each start is bounded by its library's own time-outs.
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    T store = start.get();
                    started.add(store);
                    return store;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                    return null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void stopInReverse(List<AutoCloseable> stores, Exception failures) {
        for (int i = stores.size() - 1; i >= 0; i--) {
            try {
                stores.get(i).close();
            } catch (Exception e) {
                failures.addSuppressed(e);
            }
        }
    }
}
