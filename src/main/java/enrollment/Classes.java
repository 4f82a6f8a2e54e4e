package enrollment;

import event.Event;
import event.Outbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import store.Tables;
import store.Transactions;

/** The class sections in DynamoDB: one read, query or (transactional) write per method. */
public final class Classes {

    /** Every class row carries this value in its {@code catalog} attribute, the key of the catalog index. */
    private static final AttributeValue CATALOG = AttributeValue.fromS("all");

    /** DynamoDB allows 100 items per transaction; the class row and its section key take two. */
    private static final int EVENTS_PER_TRANSACTION = 98;

    private final DynamoDbClient dynamo;
    private final Transactions transactions;
    private final Tables tables;
    private final Outbox outbox;

    public Classes(DynamoDbClient dynamo, Transactions transactions, Tables tables, Outbox outbox) {
        this.dynamo = dynamo;
        this.transactions = transactions;
        this.tables = tables;
        this.outbox = outbox;
    }

    /** Stores a new class; 409 section-exists when its course code and section are taken. */
    public CourseClass create(long id, NewClass request) {
        long now = System.currentTimeMillis();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", n(id));
        item.put("catalog", CATALOG);
        item.put("department", AttributeValue.fromS(request.department()));
        item.put("courseCode", AttributeValue.fromS(request.courseCode()));
        item.put("section", n(request.section()));
        item.put("title", AttributeValue.fromS(request.title()));
        item.put("instructorId", n(request.instructorId()));
        item.put("capacity", n(request.capacity()));
        item.put("waitlistMode", AttributeValue.fromS(request.waitlistMode()));
        item.put("offerHours", n(request.offerHours()));
        item.put("credits", n(request.credits()));
        item.put("meetings", Meeting.attribute(request.meetings()));
        item.put("prerequisites", Prerequisites.attribute(request.prerequisites()));
        item.put("enrolled", n(0));
        item.put("offered", n(0));
        item.put("taken", n(0));
        item.put("version", n(1));
        item.put("updatedAt", n(now));
        try {
            transactions.write(List.of(
                    TransactWriteItem.builder().put(Put.builder().tableName(tables.sections())
                            .item(Map.of("section", sectionKey(request.courseCode(), request.section()), "classId", n(id)))
                            .conditionExpression("attribute_not_exists(#s)")
                            .expressionAttributeNames(Map.of("#s", "section")).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(tables.classes()).item(item).build())
                            .build()));
        } catch (TransactionCanceledException e) {
            throw ProblemException.conflict("section-exists",
                    request.courseCode() + " section " + request.section() + " exists already");
        }
        return CourseClass.from(item);
    }

    /**
     * The keys of a BatchGetItem of classes.
     *
     * @param table the classes table's name
     * @param ids up to 100 class ids (DynamoDB's limit per batch)
     * @return the request items, eventually consistent (the sweep that asks looks again at its next period)
     */
    public static Map<String, KeysAndAttributes> keysOf(String table, List<Long> ids) {
        return Map.of(table, KeysAndAttributes.builder().keys(ids.stream().map(Classes::key).toList()).build());
    }

    /**
     * @param items class rows
     * @return the ids of those with a free seat, in no particular order
     */
    public static List<Long> withFreeSeat(List<Map<String, AttributeValue>> items) {
        return items.stream().map(CourseClass::from).filter(CourseClass::hasFreeSeat).map(CourseClass::id).toList();
    }

    /**
     * @param found the class read, or null
     * @param id the class id asked for
     * @return {@code found}
     * @throws ProblemException 404 {@code class-not-found} when {@code found} is null
     */
    public CourseClass require(CourseClass found, long id) {
        if (found == null) {
            throw ProblemException.notFound("class-not-found", "no class " + id);
        }
        return found;
    }

    /**
     * Reads a class row, consistently: a seat decision must see the seat changes that completed before it.
     *
     * @param id the class id
     * @return the class, or empty when there is no such class
     */
    public Optional<CourseClass> find(long id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.classes()).key(key(id))
                .consistentRead(true)).item();
        return item.isEmpty() ? Optional.empty() : Optional.of(CourseClass.from(item));
    }

    /** The class, or 404 with the given code. */
    public CourseClass get(long id) {
        return require(find(id).orElse(null), id);
    }

    /** Every class, by id (a query of the catalog index, never a scan). */
    public List<CourseClass> all() {
        return query(QueryRequest.builder().tableName(tables.classes()).indexName("catalog")
                .keyConditionExpression("#catalog = :all").expressionAttributeNames(Map.of("#catalog", "catalog")).expressionAttributeValues(Map.of(":all", CATALOG)));
    }

    public List<CourseClass> taughtBy(long instructorId) {
        return query(QueryRequest.builder().tableName(tables.classes()).indexName("byInstructor")
                .keyConditionExpression("instructorId = :i")
                .expressionAttributeValues(Map.of(":i", n(instructorId))));
    }

    /**
     * Applies the changes when the class's version is still {@code expectedVersion} (or any version when null):
     * a conditional write, so of two registrars holding the same ETag exactly one wins (412 for the other). The copies
     * of credits and meetings on students' schedules are not touched here ({@link Registrations#rescheduled}).
     *
     * @param id the class id
     * @param changes the fields to set
     * @param expectedVersion the version the request's {@code If-Match} named, or null
     * @return the class as changed
     * @throws ProblemException 404 {@code class-not-found}, 412 {@code precondition-failed}, or 400 when the capacity
     *         is below the seats taken
     */
    public CourseClass change(long id, ClassChanges changes, Long expectedVersion) {
        StringBuilder update = new StringBuilder("SET #version = #version + :one, #updatedAt = :now");
        Map<String, String> names = new HashMap<>(Map.of("#id", "id", "#version", "version", "#updatedAt", "updatedAt"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", n(1));
        values.put(":now", n(System.currentTimeMillis()));
        StringBuilder condition = new StringBuilder("attribute_exists(#id)");
        if (changes.instructorId() != null) {
            set(update, names, values, "instructorId", n(changes.instructorId()));
        }
        if (changes.title() != null) {
            set(update, names, values, "title", AttributeValue.fromS(changes.title()));
        }
        if (changes.waitlistMode() != null) {
            set(update, names, values, "waitlistMode", AttributeValue.fromS(changes.waitlistMode()));
        }
        if (changes.offerHours() != null) {
            set(update, names, values, "offerHours", n(changes.offerHours()));
        }
        if (changes.credits() != null) {
            set(update, names, values, "credits", n(changes.credits()));
        }
        if (changes.meetings() != null) {
            set(update, names, values, "meetings", Meeting.attribute(changes.meetings()));
        }
        if (changes.prerequisites() != null) {
            set(update, names, values, "prerequisites", Prerequisites.attribute(changes.prerequisites()));
        }
        if (changes.capacity() != null) {
            set(update, names, values, "capacity", n(changes.capacity()));
            // the seats held by offers stay held: taken (enrolled + offered) must fit, or enrolled on an older row
            condition.append(" AND (#taken <= :capacity OR (attribute_not_exists(#taken) AND #enrolled <= :capacity))");
            names.put("#enrolled", "enrolled");
            names.put("#taken", "taken");
        }
        if (expectedVersion != null) {
            condition.append(" AND #version = :expected");
            values.put(":expected", n(expectedVersion));
        }
        try {
            return CourseClass.from(dynamo.updateItem(b -> b.tableName(tables.classes()).key(key(id))
                    .updateExpression(update.toString()).conditionExpression(condition.toString())
                    .expressionAttributeNames(names).expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw refusal(id, e.item(), expectedVersion, changes.capacity());
        }
    }

    /** Adds {@code #attribute = :attribute} to the SET of an update, with the name and the value it uses. */
    private static void set(StringBuilder update, Map<String, String> names, Map<String, AttributeValue> values,
                            String attribute, AttributeValue value) {
        update.append(", #").append(attribute).append(" = :").append(attribute);
        names.put("#" + attribute, attribute);
        values.put(":" + attribute, value);
    }

    /**
     * Removes the class row and its section key, when still at {@code expectedVersion} (any when null), with the
     * class-removed events in the same transaction. Past 98 subscribers the rest of the events follow right after.
     */
    public void remove(CourseClass course, Long expectedVersion, List<Event> events) {
        Delete.Builder deleteClass = Delete.builder().tableName(tables.classes()).key(key(course.id()));
        if (expectedVersion == null) {
            deleteClass.conditionExpression("attribute_exists(#id)").expressionAttributeNames(Map.of("#id", "id"));
        } else {
            deleteClass.conditionExpression("attribute_exists(#id) AND #version = :expected")
                    .expressionAttributeNames(Map.of("#id", "id", "#version", "version"))
                    .expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
        }
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TransactWriteItem.builder().delete(deleteClass.build()).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(tables.sections())
                        .key(Map.of("section", sectionKey(course.courseCode(), course.section()))).build()).build()));
        events.stream().limit(EVENTS_PER_TRANSACTION)
                .forEach(event -> items.add(TransactWriteItem.builder().put(outbox.put(event)).build()));
        try {
            transactions.write(items);
            events.stream().skip(EVENTS_PER_TRANSACTION).map(outbox::put)
                    .forEach(put -> dynamo.putItem(b -> b.tableName(put.tableName()).item(put.item())));
        } catch (TransactionCanceledException e) {
            throw refusal(course.id(), find(course.id()).isPresent() ? Map.of("id", n(course.id())) : Map.of(),
                    expectedVersion, null);
        }
    }

    private static ProblemException refusal(long id, Map<String, AttributeValue> current, Long expectedVersion,
                                            Integer capacity) {
        if (current == null || current.isEmpty()) {
            return ProblemException.notFound("class-not-found", "no class " + id);
        }
        if (expectedVersion != null && (!current.containsKey("version")
                || Long.parseLong(current.get("version").n()) != expectedVersion)) {
            return new ProblemException(412, "precondition-failed", "class " + id + " has changed since that ETag");
        }
        if (capacity != null) {
            return ProblemException.invalid("capacity " + capacity + " is below the "
                    + current.get("enrolled").n() + " students enrolled"
                    + (current.containsKey("offered") && !"0".equals(current.get("offered").n())
                    ? " and " + current.get("offered").n() + " seats offered" : ""));
        }
        return new ProblemException(412, "precondition-failed", "class " + id + " has changed since that ETag");
    }

    private List<CourseClass> query(QueryRequest.Builder request) {
        List<CourseClass> found = new ArrayList<>();
        dynamo.queryPaginator(request.build()).items().forEach(item -> found.add(CourseClass.from(item)));
        return found;
    }

    /** @return the key of the class's row */
    public static Map<String, AttributeValue> key(long id) {
        return Map.of("id", n(id));
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue sectionKey(String courseCode, int section) {
        return AttributeValue.fromS(courseCode + "#" + section);
    }
}
