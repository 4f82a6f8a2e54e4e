package app;

import api.AllowedMethods;
import api.ApiDocsPage;
import api.ApiHeaders;
import api.ApiVertx;
import api.HttpErrorPages;
import api.LargeBodies;
import api.ManagementAccess;
import api.OpenApiDocument;
import api.ProblemResponse;
import auth.Authenticate;
import auth.IdentityProvider;
import auth.LocalAccounts;
import auth.TokenService;
import auth.Users;
import config.Settings;
import demo.DemoData;
import embedded.EmbeddedStores;
import enrollment.AutoEnrollment;
import enrollment.Catalog;
import enrollment.ClassValidators;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.Enrollments;
import enrollment.Offers;
import enrollment.PromotionRequests;
import enrollment.Registrations;
import enrollment.Rosters;
import enrollment.Waitlists;
import enrollment.WindowImport;
import event.Outbox;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import notify.Circuit;
import notify.DeadLetters;
import notify.Deliveries;
import notify.Destinations;
import notify.EmailMessage;
import notify.Parking;
import notify.Replays;
import notify.RetrySchedule;
import notify.Events;
import notify.SubscriptionListing;
import notify.Subscriptions;
import notify.WebhookConnections;
import notify.WebhookDeadline;
import notify.WebhookRequest;
import notify.WebhookTargets;
import observe.Jolokia;
import observe.StoreHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import routes.AccountRoutes;
import routes.ApiDocumentRoutes;
import routes.ApiRouteConfiguration;
import routes.AutoEnrollmentRoutes;
import routes.BackgroundRouteConfiguration;
import routes.ClassReadRoutes;
import routes.ConditionalAnswerRoutes;
import routes.InstructorRoutes;
import routes.OfferRoutes;
import routes.NotificationRoutes;
import routes.RegistrarRoutes;
import routes.RegistrationRoutes;
import routes.StudentRoutes;
import routes.SubscriptionRoutes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import store.BatchWrites;
import store.Broker;
import store.Counters;
import store.DynamoDb;
import store.HotItems;
import store.Redis;
import store.RedisKeys;
import store.Requeue;
import store.Smtp;
import store.SmtpConnections;
import store.StoreCheck;
import store.Tables;
import store.TlsTrust;
import store.Transactions;

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
    /** As many as the DynamoDB client's connections: beyond that, workers would wait for a connection anyway. */
    private static final int HTTP_WORKER_THREADS = 128;

    private final List<AutoCloseable> resources = new ArrayList<>();
    /** What ends work that would outlast the grace period; run when {@link #close()} begins, before Camel stops. */
    private final List<Runnable> whenStopping = new ArrayList<>();
    /** Set when {@link #close()} begins: new requests are turned away from then on. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Settings settings;
    private final Main main;

    private EnrollmentService(Settings requested) {
        EmbeddedStores stores = EmbeddedStores.startMissing(requested);
        resources.add(stores);
        settings = stores.settings();
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

        Counters counters = new Counters(dynamo, tables);
        Transactions transactions = new Transactions(dynamo, settings.dynamoDbRetryBudget());
        IdentityProvider campus = settings.oidc() == null ? null
                : new IdentityProvider(settings.oidc(), trust.sslContext().getSocketFactory());
        if (campus != null) {
            resources.add(campus);
            campus.fetchKeysInBackground();
        }
        Users users = new Users(dynamo, transactions, tables, counters, campus == null ? null : campus.issuer());
        TokenService tokens = new TokenService(settings.jwtPrivateKeyFile(), campus, users);
        Outbox outbox = new Outbox(dynamo, tables);
        Classes classes = new Classes(dynamo, transactions, tables, outbox);
        // one turn per class row for the seat transactions of enrollments and offers alike
        HotItems classRows = new HotItems(settings.dynamoDbRetryBudget());
        Enrollments enrollments = new Enrollments(dynamo, transactions, tables, outbox, classRows);
        Offers offers = new Offers(dynamo, transactions, tables, outbox, classRows, settings.offerHour());
        RedisKeys redisKeys = new RedisKeys(settings.storePrefix());
        Waitlists waitlists = new Waitlists(redis.template(), redisKeys);
        BatchWrites batches = new BatchWrites(dynamo, settings.dynamoDbRetryBudget());
        resources.add(batches);
        Catalog catalog = new Catalog(classes, enrollments, waitlists);
        WebhookTargets webhookTargets = new WebhookTargets(settings.allowPrivateWebhookTargets());
        Subscriptions subscriptions = new Subscriptions(redis.template(), redisKeys, webhookTargets,
                settings.webhookSecretGrace());

        // The stores are prepared while Camel initialises the routes (class loading, mostly): a second or two of
        // start-up. The routes start only once every store passed.
        List<CompletableFuture<Void>> preparation = inBackground(
                () -> {
                    StoreCheck.require("DynamoDB at " + settings.dynamoDbEndpoint(),
                            () -> DynamoDb.prepareTables(dynamo, tables.specs(), settings.dynamoDbCreateTables()));
                    users.createFirstRegistrar(settings.adminUsername(), settings.adminPassword());
                },
                () -> StoreCheck.require("RabbitMQ at " + settings.rabbitMqUrls().stream()
                                .map(EnrollmentService::address).collect(Collectors.joining(", ")),
                        () -> Broker.declareTopology(broker, settings.notifyQueueType())),
                () -> checkMailRelay(smtp));

        // platform-http runs each exchange on Vert.x's worker pool (20 threads by default). A request waiting for
        // its turn on a hot class (HotItems) holds a worker; with only 20, students whose answer needs no seat
        // change would queue behind them. Waiting threads cost memory, not CPU.
        ApiVertx vertx = ApiVertx.create(new VertxOptions().setWorkerPoolSize(HTTP_WORKER_THREADS));
        resources.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        main.bind("vertx", vertx);
        // the client the spring-redis: endpoint uses (application.properties names it)
        main.bind("redisTemplate", redis.template());
        // only the name the endpoints show in JMX and Hawtio: they talk through the template's connections
        main.addInitialProperty("redis.address", address(settings.redisUrl()));
        main.bind("tokens", tokens);
        Authenticate authenticate = new Authenticate(tokens);
        main.bind("authenticate", authenticate);
        main.bind("problemResponse", new ProblemResponse());
        main.bind(JolokiaPlatformHttpPlugin.NAME,
                ManagementAccess.guard(Jolokia.plugin(settings.jolokiaAllowExec()), authenticate));
        main.bind("apiHeaders", new ApiHeaders());
        main.bind("openApiDocument", new OpenApiDocument(campus == null ? null : campus.discoveryUrl()));
        main.bind("counters", counters);
        main.bind("users", users);
        main.bind("localAccounts", new LocalAccounts(settings.localAccounts(), settings.adminUsername()));
        main.bind("classes", classes);
        main.bind("enrollments", enrollments);
        main.bind("waitlists", waitlists);
        main.bind("promotionRequests", new PromotionRequests(redis.template(), redisKeys));
        main.bind("catalog", catalog);
        main.bind("rosters", new Rosters(waitlists, offers));
        main.bind("offers", offers);
        main.bind("validators", new ClassValidators(catalog));
        ClassViews classViews = new ClassViews(redis.template(), redisKeys, catalog);
        main.bind("classViews", classViews);
        main.bind("autoEnrollment", new AutoEnrollment(dynamo, tables));
        main.bind("registrations", new Registrations(dynamo, tables, batches));
        main.bind("windowImport", new WindowImport());
        main.bind("rabbitConnectionFactory", broker);
        // the queue consumers' retry (routes/NotificationRoutes): a message they could not make safe goes back to its
        // queue, never acknowledged; each consumer thread tries one about every 3.5 s while a store is down
        main.bind("requeueWithBackOff", Requeue.withBackOff(4, Duration.ofMillis(500), Duration.ofSeconds(2)));
        main.bind("outbox", outbox);
        main.bind("events", new Events(subscriptions));
        main.bind("subscriptions", subscriptions);
        main.bind("subscriptionListing", new SubscriptionListing(subscriptions, classes));
        main.bind("deliveries", new Deliveries(redis.template(), redisKeys, new Circuit(settings.circuitOpenFor())));
        main.bind("retrySchedule", new RetrySchedule(settings.retrySchedule()));
        main.bind("parking", new Parking(redis.template(), redisKeys));
        main.bind("deadLetters", new DeadLetters(redis.template(), redisKeys));
        main.bind("replays", new Replays(redis.template(), redisKeys));
        main.bind("emailMessage", new EmailMessage(settings.notifyFrom()));
        main.bind("webhookRequest", new WebhookRequest(subscriptions));
        main.bind("webhookConnections", WebhookConnections.create(webhookTargets));
        WebhookDeadline webhookDeadline = new WebhookDeadline();
        main.bind("webhookDeadline", webhookDeadline);
        // at a stop, webhook attempts in flight end at once (they stay pending) instead of outlasting the grace
        whenStopping.add(webhookDeadline::stop);
        main.bind("destinations", new Destinations(settings.webhookMaxPerHost()));
        SmtpConnections smtpConnections = new SmtpConnections(smtp);
        resources.add(smtpConnections);
        main.bind("smtpConnections", smtpConnections);
        main.addInitialProperty("notify.smtp-protocol", smtp.protocol());
        main.addInitialProperty("notify.smtp-host", settings.smtpHost());
        main.addInitialProperty("notify.smtp-port", Integer.toString(settings.smtpPort()));
        main.configure().addRoutesBuilder(new ApiRouteConfiguration());
        main.configure().addRoutesBuilder(new BackgroundRouteConfiguration());
        main.configure().addRoutesBuilder(new NotificationRoutes());
        main.configure().addRoutesBuilder(new SubscriptionRoutes());
        main.configure().addRoutesBuilder(new AccountRoutes());
        main.configure().addRoutesBuilder(new ConditionalAnswerRoutes());
        main.configure().addRoutesBuilder(new StudentRoutes());
        main.configure().addRoutesBuilder(new InstructorRoutes());
        main.configure().addRoutesBuilder(new RegistrarRoutes());
        main.configure().addRoutesBuilder(new AutoEnrollmentRoutes());
        main.configure().addRoutesBuilder(new ApiDocumentRoutes());
        main.configure().addRoutesBuilder(new ClassReadRoutes());
        main.configure().addRoutesBuilder(new RegistrationRoutes());
        main.configure().addRoutesBuilder(new OfferRoutes());
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
            Thread demo = new Thread(() -> new DemoData(users, counters, classes, enrollments, waitlists, classViews)
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
