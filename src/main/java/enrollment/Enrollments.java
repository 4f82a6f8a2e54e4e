package enrollment;

import event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
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
 * take turns within the instance ({@link SeatTransactions}); those of other instances can still conflict, and the
 * client sends them again with backoff ({@link Transactions}, which also makes a resend after a lost answer
 * idempotent, so "already enrolled" keeps meaning an earlier seat).
 */
public final class Enrollments {

    /**
     * How a seat request ended: the seat taken; the student held it already; no seat free (or no class); the student's
     * schedule changed since their checks read it (check again); for a swap, the student is not enrolled in the class
     * to drop; the registration rules refused it before any write (a promotion's student passed over).
     */
    public enum Outcome { ENROLLED, ALREADY_ENROLLED, FULL_OR_NO_CLASS, SCHEDULE_CHANGED, NOT_ENROLLED, RULES_BROKEN }

    /** A student on a class's enrolled list. */
    public record Student(long id, String name) {
    }

    /** A student on a class's dropped list. */
    public record Dropped(long id, String name, boolean administrative, Instant droppedAt) {
    }

    private final DynamoDbClient dynamo;
    private final SeatTransactions seats;
    private final Tables tables;
    private final Schedules schedules;
    /** Class id → when a seat transaction of this instance last found the class full (epoch ms). */
    private final Map<Long, Long> foundFull = new ConcurrentHashMap<>();

    /**
     * @param dynamo the DynamoDB client (the reads)
     * @param seats how seat changes are written, shared with {@link Offers}
     */
    public Enrollments(DynamoDbClient dynamo, SeatTransactions seats) {
        this.dynamo = dynamo;
        this.seats = seats;
        this.tables = seats.tables();
        this.schedules = seats.schedules();
    }

    /**
     * Takes a seat: +1 on the class while below capacity, the enrollment row and the class on the student's schedule
     * (while it is still at the version their checks read), and the event the seat causes if any (a promotion from
     * the waiting list), in one transaction, so the event exists exactly when the seat does.
     *
     * @param course the class, as the checks read it (its credits and meetings go on the schedule)
     * @param scheduleVersion the version of the student's schedule the checks read
     * @param event the event to write to the outbox with the seat, or null
     * @return ENROLLED, ALREADY_ENROLLED, FULL_OR_NO_CLASS, or SCHEDULE_CHANGED (nothing written: check again)
     */
    public Outcome enroll(CourseClass course, long studentId, String name, long scheduleVersion, Event event) {
        long classId = course.id();
        long arrived = System.currentTimeMillis();
        return seats.inTurn(classId, budget -> {
            // the class filled while this request waited for its turn: the transaction could only be refused
            if (event == null && foundFull.getOrDefault(classId, 0L) > arrived) {
                return Outcome.FULL_OR_NO_CLASS;
            }
            List<TransactWriteItem> items = new ArrayList<>(seatTaken(classId, studentId, name));
            items.add(schedules.gain(studentId, scheduleVersion, course, null));
            Outcome outcome = seats.take(items, event, budget, e -> SeatTransactions.refused(e, 0, 1, 2));
            if (outcome == Outcome.FULL_OR_NO_CLASS) {
                foundFull.put(classId, System.currentTimeMillis());
            }
            return outcome;
        });
    }

    /**
     * Swaps one class for another in one transaction (docs/api.md "Swaps"): the seat in {@code course} taken as
     * {@link #enroll} takes it, the seat in {@code dropClassId} freed and the drop recorded as {@link #drop} does,
     * the student's schedule changed from one to the other: both or neither.
     *
     * @param dropClassId the class the student leaves
     * @param course the class they take, as the checks read it
     * @param scheduleVersion the version of the student's schedule the checks read
     * @param event the event of a swap from the waiting list, or null (the student's own request)
     * @return ENROLLED (swapped), ALREADY_ENROLLED, FULL_OR_NO_CLASS, NOT_ENROLLED (not in {@code dropClassId}), or
     *         SCHEDULE_CHANGED; nothing is written unless ENROLLED
     */
    public Outcome swap(long dropClassId, CourseClass course, long studentId, String name, long scheduleVersion,
                        Event event) {
        Outcome outcome = seats.inTurn(course.id(), budget -> {
            long now = System.currentTimeMillis();
            List<TransactWriteItem> items = new ArrayList<>(seatTaken(course.id(), studentId, name));
            items.addAll(seatFreed(dropClassId, studentId, name, false, now));
            items.add(schedules.gain(studentId, scheduleVersion, course, dropClassId));
            return seats.take(items, event, budget, e -> Transactions.failed(e, 2) || Transactions.failed(e, 3)
                    ? Outcome.NOT_ENROLLED : SeatTransactions.refused(e, 0, 1, 5));
        });
        if (outcome == Outcome.ENROLLED) {
            foundFull.remove(dropClassId);
        }
        return outcome;
    }

    /** The items of a seat taken: +1 on the class while a seat is free, the enrollment row. */
    private List<TransactWriteItem> seatTaken(long classId, long studentId, String name) {
        long now = System.currentTimeMillis();
        return List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(tables.classes()).key(key(classId))
                        .updateExpression("SET #enrolled = #enrolled + :one, "
                                + "#taken = if_not_exists(#taken, #enrolled) + :one, #version = #version + :one, "
                                + "#updatedAt = :now")
                        // seats held by offers count (Offers): a newcomer never takes a held seat
                        .conditionExpression("attribute_exists(#id) AND " + Offers.TAKEN_BELOW_CAPACITY)
                        .expressionAttributeNames(Map.of("#id", "id", "#enrolled", "enrolled", "#capacity", "capacity",
                                "#taken", "taken", "#version", "version", "#updatedAt", "updatedAt"))
                        .expressionAttributeValues(Map.of(":one", n(1), ":now", n(now))).build()).build(),
                seats.enrollmentRow(classId, studentId, name, now));
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
        boolean dropped = seats.inTurn(classId, budget -> {
            List<TransactWriteItem> items = new ArrayList<>(seatFreed(classId, studentId, name, administrative,
                    System.currentTimeMillis()));
            items.add(schedules.lose(studentId, classId));
            return seats.end(items, event, budget);
        });
        if (dropped) {
            foundFull.remove(classId);
        }
        return dropped;
    }

    /** The items of a seat freed: the enrollment row goes (it must exist), −1 on the class, the drop recorded. */
    private List<TransactWriteItem> seatFreed(long classId, long studentId, String name, boolean administrative,
                                              long now) {
        return List.of(
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
                TransactWriteItem.builder().put(dropRow(classId, studentId, name, administrative, now)).build());
    }

    /** Ends a seat of a class the registrar removed: the row goes, the drop is recorded as administrative. */
    public void dropFromRemovedClass(long classId, Student student) {
        seats.write(List.of(
                TransactWriteItem.builder().delete(Delete.builder().tableName(tables.enrollments())
                        .key(Map.of("classId", n(classId), "studentId", n(student.id()))).build()).build(),
                TransactWriteItem.builder().put(dropRow(classId, student.id(), student.name(), true,
                        System.currentTimeMillis())).build(),
                schedules.lose(student.id(), classId)));
    }

    /** The enrolled student, or null when the student holds no seat in the class. */
    public Student find(long classId, long studentId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.enrollments())
                .key(Map.of("classId", n(classId), "studentId", n(studentId))).consistentRead(true)).item();
        return item.isEmpty() ? null : new Student(studentId, item.get("name").s());
    }

    /**
     * @param rows the class's enrollment rows
     * @return the students, in the rows' order (by student id)
     */
    public static List<Student> students(List<Map<String, AttributeValue>> rows) {
        return rows.stream().map(row -> new Student(Long.parseLong(row.get("studentId").n()), row.get("name").s()))
                .toList();
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
     * @param rows the class's drop rows
     * @return the drops, in the rows' order (oldest first: the drop id sorts by time)
     */
    public static List<Dropped> drops(List<Map<String, AttributeValue>> rows) {
        return rows.stream().map(row -> new Dropped(Long.parseLong(row.get("studentId").n()), row.get("name").s(),
                row.get("administrative").bool(), Instant.ofEpochMilli(Long.parseLong(row.get("droppedAt").n()))))
                .toList();
    }

    /**
     * The key condition of a query of the rows of one class in a table keyed by {@code classId} (enrollments, drops).
     *
     * @return DynamoDB {@code KeyConditions}, for an aws2-ddb Query step
     */
    public static Map<String, Condition> ofClass(long classId) {
        return Map.of("classId", Condition.builder().comparisonOperator(ComparisonOperator.EQ)
                .attributeValueList(n(classId)).build());
    }

    /** The drop id sorts the dropped list by time. */
    private Put dropRow(long classId, long studentId, String name, boolean administrative, long now) {
        return Put.builder().tableName(tables.drops()).item(Map.of("classId", n(classId),
                "dropId", AttributeValue.fromS(String.format("%013d#%d", now, studentId)),
                "studentId", n(studentId), "name", AttributeValue.fromS(name),
                "administrative", AttributeValue.fromBool(administrative), "droppedAt", n(now))).build();
    }
}
