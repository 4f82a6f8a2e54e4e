package app;

import api.AllowedMethods;
import api.ApiDocsPage;
import api.ApiVertx;
import api.HttpErrorPages;
import api.LargeBodies;
import auth.IdentityProvider;
import config.Settings;
import config.StandIns;
import demo.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import observe.StoreHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PackageScanClassResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import store.Broker;
import store.DynamoDb;
import store.Redis;
import store.Smtp;
import store.StoreCheck;
import store.Tables;
import store.TlsTrust;

/**
 * One running instance of the service: the stores it talks to (embedded stand-ins for the unset ones), the beans
 * the routes call, and the Camel context. Tests start several of these side by side, like several JVMs.
 */
public final class EnrollmentService implements AutoCloseable {

    /** Where the YAML routes live in the source tree; reloaded on save when the service runs from there. */
    static final Path SOURCE_ROUTES = Path.of("src/main/resources/camel");
    /**
     * The YAML route files inside the jar, named one by one: a {@code camel/*.yaml} wildcard makes Camel inflate
     * the whole 100 MB jar to find them, which costs seconds at every start.
     */
    static final List<String> PACKAGED_ROUTES = List.of("accounts", "student", "instructor", "registrar", "notify",
            "openapi");

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentService.class);
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** What ends work that would outlast the grace period; run when {@link #close()} begins, before Camel stops. */
    private final List<Runnable> whenStopping = new ArrayList<>();
    /** Set when {@link #close()} begins: new requests are turned away from then on. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Settings settings;
    private final Main main;

    private EnrollmentService(Settings requested) {
        StandIns standIns = StandIns.available();
        resources.add(standIns);
        settings = standIns.startMissing(requested);
        main = new Main();
    }

    /** Starts an instance: stand-ins for the unset stores, the tables, the beans, then the routes. */
    public static EnrollmentService start(Settings settings) throws Exception {
        EnrollmentService service = new EnrollmentService(settings);
        try {
            service.wire();
            return service;
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
    }

    private void wire() throws Exception {
        TlsTrust trust = TlsTrust.of(settings.tlsCaFile());
        DynamoDbClient dynamo = DynamoDb.client(settings.dynamoDbEndpoint(), settings.awsRegion(), trust,
                settings.dynamoDbRetryBudget());
        resources.add(dynamo);
        Tables tables = new Tables(settings.storePrefix());
        // the connection pool connects as it is made
        Redis redis = StoreCheck.connect("Redis at " + address(settings.redisUrl()),
                () -> new Redis(settings.redisUrl(), trust));
        resources.add(redis);
        CachingConnectionFactory broker = Broker.connectionFactory(settings.rabbitMqUrls(), trust);
        resources.add(broker::destroy);
        Smtp smtp = new Smtp(settings.smtpHost(), settings.smtpPort(), settings.smtpSecurity(),
                settings.smtpUsername(), settings.smtpPassword(), trust);
        IdentityProvider campus = settings.oidc() == null ? null
                : new IdentityProvider(settings.oidc(), trust.sslContext().getSocketFactory());
        if (campus != null) {
            resources.add(campus);
            campus.fetchKeysInBackground();
        }
        ServiceBeans beans = new ServiceBeans(settings, new StoreClients(dynamo, tables, redis, broker, smtp), campus);
        resources.addAll(beans.resources());
        // at a stop, webhook attempts in flight end at once (they stay pending) instead of outlasting the grace
        whenStopping.add(beans.webhookDeadline::stop);
        // Camel Main binds the beans (ServiceBeans' @BindToRegistry fields) and finds the Java routes in the
        // package camel.main.base-package-scan names (application.properties), before it configures the routes
        main.configure().addConfiguration(beans);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport camelMain) {
                camelMain.getCamelContext().getCamelContextExtension()
                        .addContextPlugin(PackageScanClassResolver.class, new JarDirectoryScan());
            }
        });

        // The stores are prepared while Camel initialises the routes (class loading, mostly): a second or two of
        // start-up. The routes start only once every store passed.
        List<CompletableFuture<Void>> preparation = inBackground(
                () -> {
                    StoreCheck.require("DynamoDB at " + settings.dynamoDbEndpoint(),
                            () -> DynamoDb.prepareTables(dynamo, tables.specs(), settings.dynamoDbCreateTables()));
                    beans.users.createFirstRegistrar(settings.adminUsername(), settings.adminPassword());
                },
                () -> StoreCheck.require("RabbitMQ at " + settings.rabbitMqUrls().stream()
                                .map(EnrollmentService::address).collect(Collectors.joining(", ")),
                        () -> Broker.declareTopology(broker, settings.notifyQueueType())),
                () -> checkMailRelay(smtp));

        // only the name the endpoints show in JMX and Hawtio: they talk through the template's connections
        main.addInitialProperty("redis.address", address(settings.redisUrl()));
        main.addInitialProperty("notify.smtp-protocol", smtp.protocol());
        main.addInitialProperty("notify.smtp-host", settings.smtpHost());
        main.addInitialProperty("notify.smtp-port", Integer.toString(settings.smtpPort()));
        // /observe/* is served by the management server; on the API's own address it shares the one Vert.x server
        for (String server : List.of("camel.server", "camel.management")) {
            main.addInitialProperty(server + ".host", settings.httpHost());
            main.addInitialProperty(server + ".port", Integer.toString(settings.httpPort()));
        }
        long repairAfter = settings.promotionRepairAfter().toMillis();
        main.addInitialProperty("promotion.repair-after", Long.toString(repairAfter));
        main.addInitialProperty("promotion.repair-period", Long.toString(Math.max(200, Math.min(10_000, repairAfter / 3))));
        configureYamlRoutes(settings.routesReloadDirectory());
        try {
            main.init();
        } finally {
            awaitAll(preparation);
        }
        CamelContext camel = main.getCamelContext();
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        // named, not found by scanning the classpath (camel.main.load-health-checks): the scan reads the whole jar
        health.register(health.resolveById("route-controller"));
        health.register(new StoreHealthCheck("dynamodb", () -> dynamo.listTables(b -> b.limit(1))));
        health.register(new StoreHealthCheck("redis", redis::ping));
        health.register(new StoreHealthCheck("broker", () -> broker.createConnection().close()));
        main.start();

        VertxPlatformHttpRouter router = ApiVertx.router(camel, settings.httpPort());
        HttpErrorPages.install(router, new AllowedMethods(camel)::of, stopping::get);
        LargeBodies.install(router);
        ApiDocsPage.install(router);
        if (settings.demoData()) {
            // in the background: the API is usable at once, the demo catalogue appears a few seconds later
            Thread demo = new Thread(() -> new DemoData(beans.users, beans.counters, beans.classes, beans.enrollments,
                    beans.waitlists, beans.classViews, beans.registrations, beans.completedCourses)
                    .loadIntoEmptyStore(), "demo-data");
            demo.setDaemon(true);
            demo.start();
        }
        LOG.info("enrollment service listening on http://{}:{}", settings.httpHost(), settings.httpPort());
    }

    /**
     * A relay that refuses the service's TLS or credentials ends start-up; one that is only unreachable does not
     * (mail waits in the retry schedule until it is back).
     */
    private void checkMailRelay(Smtp smtp) {
        String relay = "SMTP relay at " + settings.smtpHost() + ":" + settings.smtpPort();
        try {
            StoreCheck.require(relay, smtp::connect);
        } catch (StoreCheck.StoreUnavailableException e) {
            if (!e.unreachable()) {
                throw e;
            }
            LOG.warn("{}; emails wait in the retry schedule until it answers", e.getMessage());
        }
    }

    /** Runs each step on a thread of its own. */
    private static List<CompletableFuture<Void>> inBackground(Runnable... steps) {
        return Arrays.stream(steps).map(step -> CompletableFuture.runAsync(step, task -> {
            Thread thread = new Thread(task, "store-preparation");
            thread.setDaemon(true);
            thread.start();
        })).toList();
    }

    /**
     * Waits for every step (none is left running against a store about to be closed), then throws the failure of
     * the first failed one in the order given, as it was thrown (a StoreUnavailableException says which store).
     */
    private static void awaitAll(List<CompletableFuture<Void>> steps) {
        RuntimeException first = null;
        for (CompletableFuture<Void> step : steps) {
            try {
                step.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException failure ? failure : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** host:port of a store URL, without its credentials. */
    private static String address(java.net.URI url) {
        return url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    /** Loads the YAML routes from the classpath, or from a directory watched for changes. */
    private void configureYamlRoutes(Path reloadDirectory) {
        Path watched = reloadDirectory != null ? reloadDirectory
                : Files.isDirectory(SOURCE_ROUTES) ? SOURCE_ROUTES : null;
        if (watched == null) {
            main.addInitialProperty("camel.main.routes-include-pattern", PACKAGED_ROUTES.stream()
                    .map(name -> "classpath:camel/" + name + ".yaml").collect(Collectors.joining(",")));
            return;
        }
        LOG.info("YAML routes reload on save from {}", watched.toAbsolutePath());
        main.addInitialProperty("camel.main.routes-include-pattern", "file:" + watched.toAbsolutePath() + "/*.yaml");
        main.addInitialProperty("camel.main.routes-reload-enabled", "true");
        main.addInitialProperty("camel.main.routes-reload-directory", watched.toAbsolutePath().toString());
        main.addInitialProperty("camel.main.routes-reload-pattern", "*.yaml");
        // false: a reload must not remove the Java DSL routes
        main.addInitialProperty("camel.main.routes-reload-remove-all-routes", "false");
        // a reloaded REST operation gets its inlined Java flow back (camel.rest.inline-routes)
        main.bind("inlinedFlows", new routes.InlinedFlows());
    }

    public Settings settings() {
        return settings;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /**
     * Stops the instance in order: new requests are answered {@code 503 unavailable} and webhook attempts in flight
     * end (notify/WebhookDeadline#stop); Camel stops its routes (the
     * HTTP consumers, the timers, the queue consumers), letting the exchanges in flight finish within
     * {@code camel.main.shutdown-timeout}; then the clients close, and the embedded stores stop last. A delivery
     * whose attempt did not finish stays pending in Redis, and its schedule retries it. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long startedAt = System.nanoTime();
        whenStopping.forEach(Runnable::run);
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel failed", e);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resources.get(i), e);
            }
        }
        LOG.info("enrollment service stopped in {} ms", (System.nanoTime() - startedAt) / 1_000_000);
    }
}
