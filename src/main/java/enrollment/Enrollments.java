package enrollment;

import event.Event;
import event.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import store.HotItems;
import store.Tables;
import store.Transactions;
import static enrollment.Classes.key;
import static enrollment.Classes.n;

/**
 * Seats in DynamoDB. The class's seat counts ({@code enrolled}, and {@code taken}, which adds the seats held by
 * offers: see {@link Offers}) and the enrollment row change in one transaction, so the counts can never pass the
 * capacity nor disagree with the rows, whatever the number of service instances.
 *
 * <p>At a registration rush one class row is the hot item every seat change writes. Seat transactions of one class
 * take turns within the instance ({@link HotItems}); those of other instances can still conflict, and the client
 * sends them again with backoff ({@link Transactions}, which also makes a resend after a lost answer idempotent,
 * so "already enrolled" keeps meaning an earlier seat).
 */
public final class Enrollments {

    /** How a seat request ended. */
    public enum Outcome { ENROLLED, ALREADY_ENROLLED, FULL_OR_NO_CLASS }

    /** A student on a class's enrolled list. */
    public record Student(long id, String name) {
    }

    /** A student on a class's dropped list. */
    public record Dropped(long id, String name, boolean administrative, Instant droppedAt) {
    }

    private final DynamoDbClient dynamo;
    private final Transactions transactions;
    private final Tables tables;
    private final Outbox outbox;
    private final HotItems hotItems;
    /** Class id → when a seat transaction of this instance last found the class full (epoch ms). */
    private final Map<Long, Long> foundFull = new ConcurrentHashMap<>();

    public Enrollments(DynamoDbClient dynamo, Transactions transactions, Tables tables, Outbox outbox,
                       HotItems hotItems) {
        this.dynamo = dynamo;
        this.transactions = transactions;
        this.tables = tables;
        this.outbox = outbox;
        this.hotItems = hotItems;
    }

    /** Takes a seat: +1 on the class while below capacity, and the enrollment row, in one transaction. */
    public Outcome enroll(long classId, long studentId, String name) {
        return enroll(classId, studentId, name, null);
    }

    /**
     * As {@link #enroll(long, long, String)}, with the event the seat causes written to the outbox in the same
     * transaction (a promotion from the waiting list), so the event exists exactly when the seat does.
     */
    public Outcome enroll(long classId, long studentId, String name, Event event) {
        long arrived = System.currentTimeMillis();
        return hotItems.oneAtATime(tables.classes() + "#" + classId, budget -> {
            // the class filled while this request waited for its turn: the transaction could only be refused
            if (event == null && foundFull.getOrDefault(classId, 0L) > arrived) {
                return Outcome.FULL_OR_NO_CLASS;
            }
            Outcome outcome = transactEnroll(classId, studentId, name, event, budget);
            if (outcome == Outcome.FULL_OR_NO_CLASS) {
                foundFull.put(classId, System.currentTimeMillis());
            }
            return outcome;
        });
    }

    private Outcome transactEnroll(long classId, long studentId, String name, Event event, Duration budget) {
        long now = System.currentTimeMillis();
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(tables.classes()).key(key(classId))
                            .updateExpression("SET #enrolled = #enrolled + :one, "
                                    + "#taken = if_not_exists(#taken, #enrolled) + :one, #version = #version + :one, "
                                    + "#updatedAt = :now")
                            // seats held by offers count (Offers): a newcomer never takes a held seat
                            .conditionExpression("attribute_exists(#id) AND " + Offers.TAKEN_BELOW_CAPACITY)
                            .expressionAttributeNames(Map.of("#id", "id", "#enrolled", "enrolled", "#capacity", "capacity",
                                    "#taken", "taken", "#version", "version", "#updatedAt", "updatedAt"))
                            .expressionAttributeValues(Map.of(":one", n(1), ":now", n(now))).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(tables.enrollments())
                            .item(Map.of("classId", n(classId), "studentId", n(studentId),
                                    "name", AttributeValue.fromS(name), "enrolledAt", n(now)))
                            .conditionExpression("attribute_not_exists(studentId)").build()).build()));
        withEvent(items, event);
        try {
            transactions.write(items, budget);
            return Outcome.ENROLLED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 1)) {
                return Outcome.ALREADY_ENROLLED;
            }
            if (failed(reasons, 0)) {
                return Outcome.FULL_OR_NO_CLASS;
            }
            throw e;
        }
    }

    /**
     * Frees the seat: deletes the enrollment row, −1 on the class, and records the drop, in one transaction.
     * False when the student was not enrolled.
     */
    public boolean drop(long classId, long studentId, String name, boolean administrative) {
        return drop(classId, studentId, name, administrative, null);
    }

    /** As {@link #drop(long, long, String, boolean)}, with the event of an administrative drop in the transaction. */
    public boolean drop(long classId, long studentId, String name, boolean administrative, Event event) {
        boolean dropped = hotItems.oneAtATime(tables.classes() + "#" + classId,
                budget -> transactDrop(classId, studentId, name, administrative, event, budget));
        if (dropped) {
            foundFull.remove(classId);
        }
        return dropped;
    }

    private boolean transactDrop(long classId, long studentId, String name, boolean administrative, Event event,
            Duration budget) {
        long now = System.currentTimeMillis();
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(tables.enrollments())
                            .key(Map.of("classId", n(classId), "studentId", n(studentId)))
                            .conditionExpression("attribute_exists(studentId)").build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(tables.classes()).key(key(classId))
                            .updateExpression("SET #enrolled = #enrolled - :one, "
                                    + "#taken = if_not_exists(#taken, #enrolled) - :one, #version = #version + :one, "
                                    + "#updatedAt = :now")
                            .conditionExpression("attribute_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", "id", "#enrolled", "enrolled", "#taken", "taken",
                                    "#version", "version", "#updatedAt", "updatedAt"))
                            .expressionAttributeValues(Map.of(":one", n(1), ":now", n(now))).build()).build(),
                    TransactWriteItem.builder().put(dropRow(classId, studentId, name, administrative, now)).build()));
        withEvent(items, event);
        try {
            transactions.write(items, budget);
            return true;
        } catch (TransactionCanceledException e) {
            if (failed(e.cancellationReasons(), 0) || failed(e.cancellationReasons(), 1)) {
                return false;
            }
            throw e;
        }
    }

    /** Ends a seat of a class the registrar removed: the row goes, the drop is recorded as administrative. */
    public void dropFromRemovedClass(long classId, Student student) {
        transactions.write(List.of(
                TransactWriteItem.builder().delete(Delete.builder().tableName(tables.enrollments())
                        .key(Map.of("classId", n(classId), "studentId", n(student.id()))).build()).build(),
                TransactWriteItem.builder().put(dropRow(classId, student.id(), student.name(), true,
                        System.currentTimeMillis())).build()));
    }

    /** The enrolled student, or null when the student holds no seat in the class. */
    public Student find(long classId, long studentId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.enrollments())
                .key(Map.of("classId", n(classId), "studentId", n(studentId))).consistentRead(true)).item();
        return item.isEmpty() ? null : new Student(studentId, item.get("name").s());
    }

    /**
     * The students enrolled in a class, read consistently, every page of the query.
     *
     * @param classId the class
     * @return the students, by student id
     */
    public List<Student> studentsOf(long classId) {
        return rowsOfClass(tables.enrollments(), classId).stream()
                .map(row -> new Student(Long.parseLong(row.get("studentId").n()), row.get("name").s())).toList();
    }

    /** The ids of the classes the student is enrolled in. */
    public List<Long> classesOf(long studentId) {
        List<Long> classes = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(tables.enrollments()).indexName("byStudent")
                        .keyConditionExpression("studentId = :s").expressionAttributeValues(Map.of(":s", n(studentId)))
                        .build())
                .items().forEach(item -> classes.add(Long.parseLong(item.get("classId").n())));
        return classes;
    }

    /**
     * The drops from a class, read consistently, every page of the query.
     *
     * @param classId the class
     * @return the drops, oldest first (the drop id sorts by time)
     */
    public List<Dropped> droppedFrom(long classId) {
        return rowsOfClass(tables.drops(), classId).stream().map(row -> new Dropped(
                Long.parseLong(row.get("studentId").n()), row.get("name").s(), row.get("administrative").bool(),
                Instant.ofEpochMilli(Long.parseLong(row.get("droppedAt").n())))).toList();
    }

    /** Every row of a table keyed by {@code classId} for one class: a page stops at 1 MB, the paginator reads on. */
    private List<Map<String, AttributeValue>> rowsOfClass(String table, long classId) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("classId = :c").expressionAttributeValues(Map.of(":c", n(classId)))
                        .build())
                .items().forEach(rows::add);
        return rows;
    }

    /** The drop id sorts the dropped list by time. */
    private Put dropRow(long classId, long studentId, String name, boolean administrative, long now) {
        return Put.builder().tableName(tables.drops()).item(Map.of("classId", n(classId),
                "dropId", AttributeValue.fromS(String.format("%013d#%d", now, studentId)),
                "studentId", n(studentId), "name", AttributeValue.fromS(name),
                "administrative", AttributeValue.fromBool(administrative), "droppedAt", n(now))).build();
    }

    private void withEvent(List<TransactWriteItem> items, Event event) {
        if (event != null) {
            items.add(TransactWriteItem.builder().put(outbox.put(event)).build());
        }
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }
}
