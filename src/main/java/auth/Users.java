package auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import store.Counters;
import store.Tables;
import store.Transactions;

/** The user accounts in DynamoDB: one operation per method, each a single read or a single transaction. */
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

    public Users(DynamoDbClient dynamo, Transactions transactions, Tables tables, Counters counters) {
        this.dynamo = dynamo;
        this.transactions = transactions;
        this.tables = tables;
        this.counters = counters;
    }

    /** Creates the account, or answers 409 username-taken; the username row and the user row are one transaction. */
    public User create(NewUser request) {
        return create(request, PasswordHasher.hash(request.password()));
    }

    /** As {@link #create(NewUser)}, with a hash computed by the caller (demo data reuses one hash). */
    public User create(NewUser request, String passwordHash) {
        long id = counters.next("user");
        User user = new User(id, request.username(), request.name(), request.roles());
        try {
            transactions.write(List.of(
                    TransactWriteItem.builder().put(Put.builder().tableName(tables.usernames())
                            .item(Map.of("username", AttributeValue.fromS(user.username()),
                                    "id", AttributeValue.fromN(Long.toString(id))))
                            .conditionExpression("attribute_not_exists(username)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(tables.users())
                            .item(Map.of("id", AttributeValue.fromN(Long.toString(id)),
                                    "username", AttributeValue.fromS(user.username()),
                                    "name", AttributeValue.fromS(user.name()),
                                    "roles", AttributeValue.fromSs(user.roles()),
                                    "passwordHash", AttributeValue.fromS(passwordHash))).build()).build()));
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                throw ProblemException.conflict("username-taken", "the username '" + user.username() + "' is taken");
            }
            throw e;
        }
        return user;
    }

    /** The user whose password matches, or 401 bad-credentials (same answer and cost for an unknown username). */
    public User authenticate(Credentials credentials) {
        Optional<Map<String, AttributeValue>> row = findId(credentials.username())
                .map(id -> dynamo.getItem(b -> b.tableName(tables.users()).key(rowKey(id))).item())
                .filter(item -> !item.isEmpty());
        String hash = row.map(item -> item.get("passwordHash").s()).orElseGet(() -> UnknownUser.HASH);
        if (!PasswordHasher.matches(credentials.password(), hash) || row.isEmpty()) {
            throw new ProblemException(401, "bad-credentials", "wrong username or password");
        }
        return User.from(row.get());
    }

    /**
     * The key of a user's row, for a {@code GetItem} sent through an {@code aws2-ddb:} endpoint.
     *
     * @param id the user id
     * @return the row's key ({@code id}, a number)
     */
    public Map<String, AttributeValue> rowKey(long id) {
        return Map.of("id", AttributeValue.fromN(Long.toString(id)));
    }

    /**
     * Classes are only given to instructors.
     *
     * @param item the user's row as a {@code GetItem} returned it (empty, or null, when there is no such user)
     * @param id the user id named in the request
     * @throws ProblemException 400 {@code invalid-request} unless the row is an Instructor's
     */
    public void requireInstructor(Map<String, AttributeValue> item, long id) {
        if (item == null || item.isEmpty() || !User.from(item).has(Role.Instructor)) {
            throw ProblemException.invalid("user " + id + " is not an instructor");
        }
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
