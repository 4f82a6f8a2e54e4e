package auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import store.BatchGets;
import store.Counters;
import store.Tables;
import store.Transactions;

/**
 * The user accounts in DynamoDB: one operation per method, each a single read or a single transaction. A user of the
 * campus identity provider is linked to its (issuer, {@code sub}) by a row of the subjects table, written in the same
 * transaction as the user's row under the condition that it does not exist yet: two first requests of one subject,
 * on one instance or two, create one user.
 */
public final class Users {

    private static final Logger LOG = LoggerFactory.getLogger(Users.class);
    /** Hashed on first use so that a login for an unknown username costs the same time as a wrong password. */
    private static final class UnknownUser {
        static final String HASH = PasswordHasher.hash("not-a-password");
    }

    private final DynamoDbClient dynamo;
    private final Transactions transactions;
    private final Tables tables;
    private final Counters counters;
    private final BatchGets batchGets;
    /** OIDC_ISSUER, or null: the issuer the subjects of {@code POST /registrar/users} belong to. */
    private final String issuer;

    /**
     * @param batchGets the reads of many users at once (the students an import names)
     * @param issuer the campus identity provider's issuer (OIDC_ISSUER), or null when none is configured
     */
    public Users(DynamoDbClient dynamo, Transactions transactions, Tables tables, Counters counters,
                 BatchGets batchGets, String issuer) {
        this.dynamo = dynamo;
        this.transactions = transactions;
        this.tables = tables;
        this.counters = counters;
        this.batchGets = batchGets;
        this.issuer = issuer;
    }

    /**
     * Creates the account: with a password, or linked to the identity provider's {@code subject}.
     *
     * @return the account
     * @throws ProblemException 409 {@code username-taken} or {@code subject-taken}; 400 {@code invalid-request} for a
     *         subject when no identity provider is configured
     */
    public User create(NewUser request) {
        if (request.subject() == null) {
            return create(request, PasswordHasher.hash(request.password()));
        }
        if (issuer == null) {
            throw ProblemException.invalid("no identity provider is configured (OIDC_ISSUER): a user needs a password");
        }
        User user = new User(counters.next("user"), request.username(), request.name(), request.roles(),
                request.subject());
        Set<Integer> failed = write(user, Map.of(), true);
        if (failed.contains(0)) {
            throw ProblemException.conflict("subject-taken", "a user is already linked to the subject '"
                    + user.subject() + "'");
        }
        if (failed.contains(1)) {
            throw usernameTaken(user.username());
        }
        return user;
    }

    /** As {@link #create(NewUser)} for an account with a password, whose hash the caller computed (demo data reuses one). */
    public User create(NewUser request, String passwordHash) {
        User user = new User(counters.next("user"), request.username(), request.name(), request.roles(), null);
        if (!write(user, Map.of("passwordHash", AttributeValue.fromS(passwordHash)), true).isEmpty()) {
            throw usernameTaken(user.username());
        }
        return user;
    }

    /**
     * The id of the user linked to the identity provider's subject, created at its first request: a new id, the
     * token's name and username ({@code user-<id>} when the token has none usable, and not
     * findable by username when another account has it), and the token's roles as the account's record of them.
     *
     * @param identity who a verified token of the issuer ({@link #issuer}) names
     * @return the user id, the same for every request of that subject, also when two first requests race
     */
    public long linkedTo(CampusIdentity identity) {
        Optional<Long> known = linkedId(identity.subject());
        if (known.isPresent()) {
            return known.get();
        }
        long id = counters.next("user");
        String username = identity.username() != null ? identity.username() : "user-" + id;
        User user = new User(id, username, identity.name(), identity.roles().stream().sorted().toList(),
                identity.subject());
        Set<Integer> failed = write(user, Map.of(), true);
        if (failed.equals(Set.of(1))) {
            LOG.info("the username '{}' of {} is another account's: user {} is found by its subject only",
                    username, identity.subject(), id);
            failed = write(user, Map.of(), false);
        }
        if (failed.contains(0)) {
            // another request (here or on another instance) linked the subject first: that user is the caller
            return linkedId(identity.subject()).orElseThrow();
        }
        return id;
    }

    /**
     * @param query a subject of the identity provider, or a username
     * @return the user it names
     * @throws ProblemException 404 {@code user-not-found}
     */
    public User find(UserQuery query) {
        Optional<Long> id = query.subject() != null ? linkedId(query.subject()) : findId(query.username());
        return id.map(found -> dynamo.getItem(b -> b.tableName(tables.users()).key(rowKey(found))).item())
                .filter(item -> !item.isEmpty()).map(User::from)
                .orElseThrow(() -> ProblemException.notFound("user-not-found", query.subject() != null
                        ? "no user is linked to the subject '" + query.subject() + "'"
                        : "no user has the username '" + query.username() + "'"));
    }

    /**
     * Writes a new user in one transaction: the subject row (linked users), the username row (unless left out) and
     * the user's row, each new row under the condition that its key is free.
     *
     * @param secrets more attributes of the user's row (the password hash)
     * @return which conditions failed: 0 the subject, 1 the username; empty when the user was written
     */
    private Set<Integer> write(User user, Map<String, AttributeValue> secrets, boolean withUsername) {
        String id = Long.toString(user.id());
        Map<String, AttributeValue> row = new HashMap<>(secrets);
        row.put("id", AttributeValue.fromN(id));
        row.put("username", AttributeValue.fromS(user.username()));
        row.put("name", AttributeValue.fromS(user.name()));
        if (!user.roles().isEmpty()) {
            row.put("roles", AttributeValue.fromSs(user.roles()));
        }
        List<TransactWriteItem> items = new ArrayList<>();
        List<Integer> conditions = new ArrayList<>();
        if (user.subject() != null) {
            row.put("issuer", AttributeValue.fromS(issuer));
            row.put("subject", AttributeValue.fromS(user.subject()));
            items.add(put(tables.subjects(), Map.of("issuer", AttributeValue.fromS(issuer),
                    "subject", AttributeValue.fromS(user.subject()), "id", AttributeValue.fromN(id)), "subject"));
            conditions.add(0);
        }
        if (withUsername) {
            items.add(put(tables.usernames(), Map.of("username", AttributeValue.fromS(user.username()),
                    "id", AttributeValue.fromN(id)), "username"));
            conditions.add(1);
        }
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(tables.users()).item(row).build()).build());
        try {
            transactions.write(items);
            return Set.of();
        } catch (TransactionCanceledException e) {
            Set<Integer> failed = new java.util.HashSet<>();
            for (int i = 0; i < conditions.size(); i++) {
                if (Transactions.failed(e, i)) {
                    failed.add(conditions.get(i));
                }
            }
            if (failed.isEmpty()) {
                throw e;
            }
            return failed;
        }
    }

    /** A put of a new row: refused when a row with its key (whose first attribute is {@code key}) exists. */
    private static TransactWriteItem put(String table, Map<String, AttributeValue> item, String key) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", key))
                .build()).build();
    }

    private static ProblemException usernameTaken(String username) {
        return ProblemException.conflict("username-taken", "the username '" + username + "' is taken");
    }

    private Optional<Long> linkedId(String subject) {
        if (issuer == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.subjects()).consistentRead(true)
                .key(Map.of("issuer", AttributeValue.fromS(issuer), "subject", AttributeValue.fromS(subject)))).item();
        return item.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(item.get("id").n()));
    }

    /**
     * The user whose password matches, or 401 bad-credentials: the same answer and cost for an unknown username and
     * for a user of the identity provider, who has no password here.
     */
    public User authenticate(Credentials credentials) {
        Optional<Map<String, AttributeValue>> row = findId(credentials.username())
                .map(id -> dynamo.getItem(b -> b.tableName(tables.users()).key(rowKey(id))).item())
                .filter(item -> item.containsKey("passwordHash"));
        String hash = row.map(item -> item.get("passwordHash").s()).orElseGet(() -> UnknownUser.HASH);
        if (!PasswordHasher.matches(credentials.password(), hash) || row.isEmpty()) {
            throw Credentials.refused();
        }
        return User.from(row.get());
    }

    /** The key of a user's row ({@code id}, a number). */
    private static Map<String, AttributeValue> rowKey(long id) {
        return Map.of("id", AttributeValue.fromN(Long.toString(id)));
    }

    /**
     * Classes are only given to instructors: reads the user's row (eventually consistent, as roles change rarely).
     *
     * @param id the user id named in the request
     * @throws ProblemException 400 {@code invalid-request} unless the row is an Instructor's
     */
    public void requireInstructor(long id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.users()).key(rowKey(id))).item();
        if (item.isEmpty() || !User.from(item).has(Role.Instructor)) {
            throw ProblemException.invalid("user " + id + " is not an instructor");
        }
    }

    /**
     * The registrar acts only on students who exist (docs/api.md "Registration windows and holds"): reads the user's
     * row, consistently, so a student created a moment ago by the campus's information system is found.
     *
     * @param id the student id named in the request
     * @throws ProblemException 404 {@code student-not-found} unless a user of that id holds the Student role
     */
    public void requireStudent(long id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.users()).key(rowKey(id))
                .projectionExpression("#roles").expressionAttributeNames(Map.of("#roles", "roles"))
                .consistentRead(true)).item();
        if (!isStudent(item)) {
            throw ProblemException.notFound("student-not-found", "no student has the id " + id);
        }
    }

    /**
     * Which of the ids are students: a file's worth of users read in {@code BatchGetItem}s of 100 keys, a few in flight,
     * only their ids and roles, consistently (as {@link #requireStudent}).
     *
     * @param ids user ids, repeats allowed
     * @return those of them whose user holds the Student role
     */
    public Set<Long> studentsAmong(Collection<Long> ids) {
        List<Map<String, AttributeValue>> keys = ids.stream().distinct().map(Users::rowKey).toList();
        Set<Long> students = new java.util.HashSet<>();
        for (Map<String, AttributeValue> item : batchGets.getAll(tables.users(), keys, "#id, #roles",
                Map.of("#id", "id", "#roles", "roles"))) {
            if (isStudent(item)) {
                students.add(Long.parseLong(item.get("id").n()));
            }
        }
        return students;
    }

    private static boolean isStudent(Map<String, AttributeValue> item) {
        AttributeValue roles = item == null ? null : item.get("roles");
        return roles != null && roles.hasSs() && roles.ss().contains(Role.Student.name());
    }

    /** On an empty store, creates the first Registrar (docs/api.md "Authentication and roles"). */
    public void createFirstRegistrar(String username, String password) {
        if (counters.used("user")) {
            return;
        }
        if ("registrar".equals(password)) {
            LOG.warn("creating the first Registrar '{}' with the default password: set ADMIN_PASSWORD", username);
        }
        try {
            create(new NewUser(username, password, "Registrar", List.of(Role.Registrar.name())));
            LOG.info("created the first Registrar '{}'", username);
        } catch (ProblemException raced) {
            LOG.debug("another instance created the first Registrar");
        }
    }

    private Optional<Long> findId(String username) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.usernames())
                .key(Map.of("username", AttributeValue.fromS(username)))).item();
        return item.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(item.get("id").n()));
    }
}
