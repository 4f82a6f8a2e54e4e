package app;

import api.ApiHeaders;
import api.ApiVertx;
import api.ManagementAccess;
import api.OpenApiDocument;
import api.ProblemResponse;
import auth.Authenticate;
import auth.IdentityProvider;
import auth.LocalAccounts;
import auth.TokenService;
import auth.Users;
import config.Settings;
import enrollment.Catalog;
import enrollment.ClassValidators;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CompletedCourseImport;
import enrollment.CompletedCourses;
import enrollment.Enrollments;
import enrollment.Offers;
import enrollment.Permits;
import enrollment.PromotionRequests;
import enrollment.PromotionsInFlight;
import enrollment.Registrations;
import enrollment.Schedules;
import enrollment.SeatTransactions;
import enrollment.Rosters;
import enrollment.Waitlists;
import enrollment.WindowImport;
import event.Outbox;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import notify.Circuit;
import notify.DeadLetters;
import notify.Deliveries;
import notify.Destinations;
import notify.EmailMessage;
import notify.Parking;
import notify.Replays;
import notify.RetrySchedule;
import notify.SubscriptionListing;
import notify.Subscriptions;
import notify.WebhookConnections;
import notify.WebhookDeadline;
import notify.WebhookRequest;
import notify.WebhookTargets;
import observe.Jolokia;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import store.BatchGets;
import store.BatchWrites;
import store.Counters;
import store.HotItems;
import store.RedisKeys;
import store.Requeue;
import store.SmtpConnections;
import store.Tables;
import store.Transactions;

/**
 * The beans the routes and components use, made in dependency order (the constructor is the wiring the compiler
 * checks) and bound in Camel's registry by Camel Main itself: each {@link BindToRegistry} field under its field's
 * name, with its field's type, as camel-examples {@code main}'s {@code MyConfiguration} does (there on methods;
 * fields here because a bean's dependencies are other beans of this class, made once). Routes get them by type
 * with {@code @BeanInject}, so each type is bound once. The store clients come made and checked from
 * {@link EnrollmentService}; what this class makes and must be closed is in {@link #resources()}.
 */
@Configuration
final class ServiceBeans implements CamelConfiguration {

    /** As many as the DynamoDB client's connections: beyond that, workers would wait for a connection anyway. */
    private static final int HTTP_WORKER_THREADS = 128;

    // the clients the spring-redis: and spring-rabbitmq: endpoints use (application.properties names them)
    @BindToRegistry
    private final StringRedisTemplate redisTemplate;
    @BindToRegistry
    private final CachingConnectionFactory rabbitConnectionFactory;
    /** The aws2-ddb endpoints' client (the component finds it by type), and the tables' names they are given. */
    @BindToRegistry
    private final DynamoDbClient dynamoDbClient;
    @BindToRegistry
    private final Tables tables;
    /** The Redis keys the spring-redis steps are given. */
    @BindToRegistry
    private final RedisKeys redisKeys;

    @BindToRegistry
    private final ApiVertx vertx;
    @BindToRegistry
    private final TokenService tokens;
    @BindToRegistry
    private final Authenticate authenticate;
    @BindToRegistry
    private final ProblemResponse problemResponse = new ProblemResponse();
    @BindToRegistry(JolokiaPlatformHttpPlugin.NAME)
    private final JolokiaPlatformHttpPlugin jolokia;
    @BindToRegistry
    private final ApiHeaders apiHeaders = new ApiHeaders();
    @BindToRegistry
    private final OpenApiDocument openApiDocument;

    @BindToRegistry
    final Counters counters;
    @BindToRegistry
    final Users users;
    @BindToRegistry
    private final LocalAccounts localAccounts;
    @BindToRegistry
    final Classes classes;
    @BindToRegistry
    final Enrollments enrollments;
    @BindToRegistry
    final Waitlists waitlists;
    @BindToRegistry
    private final PromotionsInFlight promotionsInFlight;
    @BindToRegistry
    private final PromotionRequests promotionRequests;
    @BindToRegistry
    private final Catalog catalog;
    @BindToRegistry
    private final Rosters rosters;
    @BindToRegistry
    private final Offers offers;
    @BindToRegistry
    private final ClassValidators validators;
    @BindToRegistry
    final ClassViews classViews;
    @BindToRegistry
    final Registrations registrations;
    @BindToRegistry
    private final WindowImport windowImport = new WindowImport();
    @BindToRegistry
    private final CompletedCourseImport completedCourseImport = new CompletedCourseImport();
    @BindToRegistry
    final CompletedCourses completedCourses;
    @BindToRegistry
    private final Permits permits;
    /**
     * The queue consumers' retry (routes/NotificationRoutes): a message they could not make safe goes back to its queue,
     * never acknowledged; each consumer thread tries one about every 3.5 s while a store is down.
     */
    @BindToRegistry
    private final RetryOperationsInterceptor requeueWithBackOff =
            Requeue.withBackOff(4, Duration.ofMillis(500), Duration.ofSeconds(2));

    @BindToRegistry
    private final Outbox outbox;
    @BindToRegistry
    private final Subscriptions subscriptions;
    @BindToRegistry
    private final SubscriptionListing subscriptionListing;
    @BindToRegistry
    private final Deliveries deliveries;
    @BindToRegistry
    private final RetrySchedule retrySchedule;
    @BindToRegistry
    private final Parking parking;
    @BindToRegistry
    private final DeadLetters deadLetters;
    @BindToRegistry
    private final Replays replays;
    @BindToRegistry
    private final EmailMessage emailMessage;
    @BindToRegistry
    private final WebhookRequest webhookRequest;
    @BindToRegistry
    private final PoolingHttpClientConnectionManager webhookConnections;
    @BindToRegistry
    final WebhookDeadline webhookDeadline = new WebhookDeadline();
    @BindToRegistry
    private final Destinations destinations;
    @BindToRegistry
    private final SmtpConnections smtpConnections;

    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * Makes every bean.
     *
     * @param settings the settings with every store's address (stand-ins filled in)
     * @param stores the store clients, connected and owned (closed) by the caller
     * @param campus the campus identity provider, or null without {@code OIDC_ISSUER}; closed by the caller
     */
    ServiceBeans(Settings settings, StoreClients stores, IdentityProvider campus) {
        redisTemplate = stores.redis().template();
        rabbitConnectionFactory = stores.broker();
        DynamoDbClient dynamo = stores.dynamo();
        dynamoDbClient = dynamo;
        tables = stores.tables();
        Counters counters = new Counters(dynamo, tables);
        Transactions transactions = new Transactions(dynamo, settings.dynamoDbRetryBudget());
        BatchGets batchGets = new BatchGets(dynamo, settings.dynamoDbRetryBudget());
        resources.add(batchGets);
        users = new Users(dynamo, transactions, tables, counters, batchGets, campus == null ? null : campus.issuer());
        this.counters = counters;
        tokens = new TokenService(settings.jwtPrivateKeyFile(), campus, users);
        outbox = new Outbox(tables);
        classes = new Classes(dynamo, transactions, tables, outbox);
        // one turn per class row for the seat transactions of enrollments and offers alike
        HotItems classRows = new HotItems(settings.dynamoDbRetryBudget());
        Schedules schedules = new Schedules(tables);
        SeatTransactions seats = new SeatTransactions(transactions, tables, outbox, classRows, schedules);
        enrollments = new Enrollments(dynamo, seats);
        offers = new Offers(dynamo, seats, settings.offerHour());
        redisKeys = new RedisKeys(settings.storePrefix());
        waitlists = new Waitlists(redisTemplate, redisKeys);
        promotionsInFlight = new PromotionsInFlight(redisTemplate, redisKeys, waitlists);
        BatchWrites batches = new BatchWrites(dynamo, settings.dynamoDbRetryBudget());
        resources.add(batches);
        catalog = new Catalog(classes, enrollments, waitlists);
        WebhookTargets webhookTargets = new WebhookTargets(settings.allowPrivateWebhookTargets());
        subscriptions = new Subscriptions(redisTemplate, redisKeys, webhookTargets,
                settings.webhookSecretGrace());

        // platform-http runs each exchange on Vert.x's worker pool (20 threads by default). A request waiting for
        // its turn on a hot class (HotItems) holds a worker; with only 20, students whose answer needs no seat
        // change would queue behind them. Waiting threads cost memory, not CPU.
        vertx = ApiVertx.create(new VertxOptions().setWorkerPoolSize(HTTP_WORKER_THREADS));
        resources.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        authenticate = new Authenticate(tokens);
        jolokia = ManagementAccess.guard(Jolokia.plugin(settings.jolokiaAllowExec()), authenticate);
        openApiDocument = new OpenApiDocument(campus == null ? null : campus.discoveryUrl());
        localAccounts = new LocalAccounts(settings.localAccounts(), settings.adminUsername());
        promotionRequests = new PromotionRequests(redisTemplate, redisKeys);
        rosters = new Rosters(waitlists, offers);
        validators = new ClassValidators(catalog);
        classViews = new ClassViews(redisTemplate, redisKeys, catalog);
        registrations = new Registrations(dynamo, tables, batches, settings.maxCredits());
        completedCourses = new CompletedCourses(dynamo, tables, batches);
        permits = new Permits(dynamo, tables, settings.maxCredits());
        subscriptionListing = new SubscriptionListing(subscriptions, classes);
        deliveries = new Deliveries(redisTemplate, redisKeys, new Circuit(settings.circuitOpenFor()));
        retrySchedule = new RetrySchedule(settings.retrySchedule());
        parking = new Parking(redisTemplate, redisKeys);
        deadLetters = new DeadLetters(redisTemplate, redisKeys);
        replays = new Replays(redisTemplate, redisKeys);
        emailMessage = new EmailMessage(settings.notifyFrom());
        webhookRequest = new WebhookRequest(subscriptions);
        webhookConnections = WebhookConnections.create(webhookTargets);
        destinations = new Destinations(settings.webhookMaxPerHost());
        smtpConnections = new SmtpConnections(stores.smtp());
        resources.add(smtpConnections);
    }

    /** What the beans hold open (pools, threads, connections), in the order made; the caller closes them. */
    List<AutoCloseable> resources() {
        return List.copyOf(resources);
    }
}
