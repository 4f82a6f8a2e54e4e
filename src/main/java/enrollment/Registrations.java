package enrollment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import store.BatchWrites;
import store.Tables;
import static enrollment.Classes.n;

/**
 * What registration asks of each student, in DynamoDB, the truth for all of it. A student's partition of the
 * {@code registration} table holds, one item (entry) each:
 * <ul>
 *   <li>{@code window}: their registration window ({@code opensAt}, {@code closesAt}, epoch ms);</li>
 *   <li>{@code hold#<code>}: a hold ({@code reason}, {@code since});</li>
 *   <li>{@code completed#<courseCode>}: a course they completed ({@code completedAt}: when it was imported);</li>
 *   <li>{@code permit#<classId>}: a permit ({@code overrides}, a string set; {@code grantedBy}; {@code grantedAt});</li>
 *   <li>{@code max-credits}: their own credit maximum ({@code maxCredits});</li>
 *   <li>{@code schedule}: the classes they are enrolled in or hold an offer for, one attribute
 *       {@code class#<classId>} each ({@code {courseCode, credits, meetings}}), and {@code version}, which every
 *       change adds one to. The seat transactions (enrollment/Enrollments, enrollment/Offers) write this item
 *       together with the seat, under a condition on {@code version} when they add a class, so two requests of one
 *       student checked against the same schedule cannot both be stored (docs/api.md "Registration rules": atomic
 *       per student).</li>
 * </ul>
 * So what an add must know of the student is one consistent Query ({@link #record}); the default window (a row of
 * {@code settings}) is read only for students without a window of their own. Rows are few per student (a transcript
 * is tens of courses), and a completed course is a row of its own so that an import is plain {@code BatchWriteItem}
 * puts of 25, never a read-modify-write of a list.
 */
public final class Registrations {

    /** docs/api.md: a hold's code. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9-]{1,40}");
    static final String WINDOW = "window";
    static final String HOLD = "hold#";
    static final String COMPLETED = "completed#";
    static final String PERMIT = "permit#";
    static final String MAX_CREDITS = "max-credits";
    static final String SCHEDULE = "schedule";
    /** The prefix of a class's attribute on the schedule item. */
    static final String SCHEDULED = "class#";
    /** The default window's key in the {@code settings} table. */
    public static final Map<String, AttributeValue> DEFAULT_WINDOW_KEY =
            Map.of("name", AttributeValue.fromS("registrationWindow"));

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final BatchWrites batches;
    private final int defaultMaxCredits;

    /**
     * @param defaultMaxCredits the credit maximum of students without their own ({@code MAX_CREDITS})
     */
    public Registrations(DynamoDbClient dynamo, Tables tables, BatchWrites batches, int defaultMaxCredits) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.batches = batches;
        this.defaultMaxCredits = defaultMaxCredits;
    }

    /** The body of {@code PUT .../holds/{code}}. */
    public record HoldRequest(String reason) {
        public HoldRequest {
            reason = text.Names.require("reason", reason, 500);
        }
    }

    /** A hold placed, and whether it replaced one of the same code (200) or is new (201). */
    public record PlacedHold(RegistrationStatus.Hold hold, boolean replaced) {
    }

    /** The answer of an import. */
    public record Imported(int imported) {
    }

    /** The holds of a student: {@code GET .../holds}, and the answer of lifting one. */
    public record Holds(List<RegistrationStatus.Hold> holds) {
    }

    /**
     * Stores the windows, each replacing the student's earlier one (their holds stay).
     *
     * @param windows the validated windows of one file
     * @return how many were stored
     */
    public Imported importWindows(List<WindowImport.StudentWindow> windows) {
        batches.putAll(tables.registration(), windows.stream().map(w -> windowRow(w.studentId(), w.window())).toList());
        return new Imported(windows.size());
    }

    /** Sets the window of students without their own ({@link RegistrationWindow#ANY_TIME} for none). */
    public RegistrationWindow setDefaultWindow(RegistrationWindow window) {
        Map<String, AttributeValue> item = new HashMap<>(DEFAULT_WINDOW_KEY);
        times(item, window);
        dynamo.putItem(b -> b.tableName(tables.settings()).item(item));
        return window;
    }

    /**
     * Everything an add checks of the student, as of now, read through the SDK: one consistent Query of their
     * partition, and the default window when they have none of their own. The flows read the same with aws2-ddb steps
     * (routes/RegistrationRoutes {@code read-record-of}); the demo loader, which writes behind the routes, reads here.
     *
     * @param studentId the student
     * @return their record (see {@link #record(long, List, Map)})
     */
    public StudentRecord record(long studentId) {
        List<Map<String, AttributeValue>> rows = partition(studentId);
        return record(studentId, rows, hasOwnWindow(rows) ? null : dynamo.getItem(b -> b.tableName(tables.settings())
                .key(DEFAULT_WINDOW_KEY).consistentRead(true)).item());
    }

    /**
     * The student's record from their partition's rows.
     *
     * @param studentId the student
     * @param rows every row of their partition of the {@code registration} table
     * @param defaultWindow the default window's row of the {@code settings} table (empty when never set), or null
     *        when the rows hold the student's own window
     * @return their record; a student with no rows at all has an empty one (no holds, nothing completed, schedule
     *         version 0)
     */
    public StudentRecord record(long studentId, List<Map<String, AttributeValue>> rows,
                                Map<String, AttributeValue> defaultWindow) {
        RegistrationWindow own = null;
        List<RegistrationStatus.Hold> holds = new ArrayList<>();
        Set<String> completed = new HashSet<>();
        Map<Long, StudentRecord.Permit> permits = new HashMap<>();
        Integer ownMax = null;
        StudentRecord.Schedule schedule = new StudentRecord.Schedule(0, Map.of());
        for (Map<String, AttributeValue> row : rows) {
            String entry = row.get("entry").s();
            if (entry.equals(WINDOW)) {
                own = window(row);
            } else if (entry.startsWith(HOLD)) {
                holds.add(hold(row));
            } else if (entry.startsWith(COMPLETED)) {
                completed.add(entry.substring(COMPLETED.length()));
            } else if (entry.startsWith(PERMIT)) {
                StudentRecord.Permit permit = permit(row);
                permits.put(permit.classId(), permit);
            } else if (entry.equals(MAX_CREDITS)) {
                ownMax = Integer.parseInt(row.get("maxCredits").n());
            } else if (entry.equals(SCHEDULE)) {
                schedule = schedule(row);
            }
        }
        RegistrationWindow window = own != null ? own : window(defaultWindow);
        int maxCredits = ownMax != null ? ownMax : defaultMaxCredits;
        return new StudentRecord(studentId, RegistrationStatus.of(window, holds, Instant.now(), schedule.credits(),
                maxCredits), completed, maxCredits, permits, schedule);
    }

    /** @return whether the rows of a student's partition hold their own registration window */
    public static boolean hasOwnWindow(List<Map<String, AttributeValue>> rows) {
        return rows.stream().anyMatch(row -> WINDOW.equals(row.get("entry").s()));
    }

    /**
     * The key condition of a query of one student's partition of the {@code registration} table.
     *
     * @return DynamoDB {@code KeyConditions}, for an aws2-ddb Query step
     */
    public static Map<String, Condition> partitionOf(long studentId) {
        return Map.of("studentId", Condition.builder().comparisonOperator(ComparisonOperator.EQ)
                .attributeValueList(n(studentId)).build());
    }

    /**
     * Places a hold, or replaces the reason of the hold of that code (keeping when it was first placed).
     *
     * @throws ProblemException 400 when the code is not {@code [a-z0-9-]{1,40}}
     */
    public PlacedHold placeHold(long studentId, String code, HoldRequest request) {
        long now = System.currentTimeMillis();
        // UPDATED_OLD: nothing when the hold is new, its reason and since when it replaces one
        Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(tables.registration())
                .key(holdKey(studentId, requireCode(code)))
                .updateExpression("SET #reason = :reason, #since = if_not_exists(#since, :now)")
                .expressionAttributeNames(Map.of("#reason", "reason", "#since", "since"))
                .expressionAttributeValues(Map.of(":reason", AttributeValue.fromS(request.reason()), ":now", n(now)))
                .returnValues(ReturnValue.UPDATED_OLD)).attributes();
        boolean replaced = old != null && old.containsKey("since");
        Instant since = Instant.ofEpochMilli(replaced ? Long.parseLong(old.get("since").n()) : now);
        return new PlacedHold(new RegistrationStatus.Hold(code, request.reason(), since), replaced);
    }

    /**
     * Lifts a hold.
     *
     * @throws ProblemException 404 {@code not-held} when the student has no hold of that code
     */
    public void liftHold(long studentId, String code) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.registration()).key(holdKey(studentId, requireCode(code)))
                    .conditionExpression("attribute_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry")));
        } catch (ConditionalCheckFailedException e) {
            throw ProblemException.notFound("not-held", "student " + studentId + " has no hold '" + code + "'");
        }
    }

    private List<Map<String, AttributeValue>> partition(long studentId) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.registration()).consistentRead(true)
                        .keyConditionExpression("studentId = :s").expressionAttributeValues(Map.of(":s", n(studentId))))
                .items().forEach(rows::add);
        return rows;
    }

    private static Map<String, AttributeValue> windowRow(long studentId, RegistrationWindow window) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("studentId", n(studentId),
                "entry", AttributeValue.fromS(WINDOW)));
        times(item, window);
        return item;
    }

    private static void times(Map<String, AttributeValue> item, RegistrationWindow window) {
        if (window.opensAt() != null) {
            item.put("opensAt", n(window.opensAt().toEpochMilli()));
        }
        if (window.closesAt() != null) {
            item.put("closesAt", n(window.closesAt().toEpochMilli()));
        }
    }

    private static RegistrationWindow window(Map<String, AttributeValue> row) {
        return row == null ? RegistrationWindow.ANY_TIME : new RegistrationWindow(time(row, "opensAt"), time(row, "closesAt"));
    }

    private static Instant time(Map<String, AttributeValue> row, String name) {
        AttributeValue value = row.get(name);
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    private static RegistrationStatus.Hold hold(Map<String, AttributeValue> row) {
        return new RegistrationStatus.Hold(row.get("entry").s().substring(HOLD.length()), row.get("reason").s(),
                time(row, "since"));
    }

    /** @return the permit a {@code permit#<classId>} row holds */
    static StudentRecord.Permit permit(Map<String, AttributeValue> row) {
        List<String> overrides = row.get("overrides").ss();
        return new StudentRecord.Permit(Long.parseLong(row.get("entry").s().substring(PERMIT.length())),
                StudentRecord.OVERRIDES.stream().filter(overrides::contains).toList(),
                Long.parseLong(row.get("grantedBy").n()), time(row, "grantedAt"));
    }

    private static StudentRecord.Schedule schedule(Map<String, AttributeValue> row) {
        Map<Long, StudentRecord.ScheduledClass> classes = new HashMap<>();
        row.forEach((name, value) -> {
            if (name.startsWith(SCHEDULED)) {
                long classId = Long.parseLong(name.substring(SCHEDULED.length()));
                Map<String, AttributeValue> entry = value.m();
                classes.put(classId, new StudentRecord.ScheduledClass(classId, entry.get("courseCode").s(),
                        Integer.parseInt(entry.get("credits").n()), Meeting.from(entry.get("meetings"))));
            }
        });
        return new StudentRecord.Schedule(Long.parseLong(row.get("version").n()), Map.copyOf(classes));
    }

    /**
     * @param course a class
     * @return its entry on a schedule item: the attribute {@code class#<id>}'s value
     */
    static AttributeValue scheduled(CourseClass course) {
        return AttributeValue.fromM(Map.of("courseCode", AttributeValue.fromS(course.courseCode()),
                "credits", n(course.credits()), "meetings", Meeting.attribute(course.meetings())));
    }

    /**
     * @param studentId a student
     * @return the key of their schedule item
     */
    static Map<String, AttributeValue> scheduleKey(long studentId) {
        return Map.of("studentId", n(studentId), "entry", AttributeValue.fromS(SCHEDULE));
    }

    /**
     * Rewrites the copy of a class on the schedules of its students after a change of its credits or meetings, one
     * {@code UpdateItem} each, adding one to the schedule's version as every change of it does (so a check made against
     * the old copy cannot be stored). A schedule that no longer holds the class (the student dropped it, or their offer
     * ended, since they were listed) is left as it is.
     *
     * @param course the class as changed
     * @param studentIds the students enrolled in it or holding an offer for it
     */
    public void rescheduled(CourseClass course, List<Long> studentIds) {
        Map<String, String> names = Map.of("#c", SCHEDULED + course.id(), "#version", "version");
        Map<String, AttributeValue> values = Map.of(":entry", scheduled(course), ":one", n(1));
        for (long studentId : studentIds) {
            try {
                dynamo.updateItem(b -> b.tableName(tables.registration()).key(scheduleKey(studentId))
                        .updateExpression("SET #c = :entry, #version = #version + :one")
                        .conditionExpression("attribute_exists(#c)")
                        .expressionAttributeNames(names).expressionAttributeValues(values));
            } catch (ConditionalCheckFailedException leftMeanwhile) {
                // nothing of the class left on this schedule to rewrite
            }
        }
    }

    private static Map<String, AttributeValue> holdKey(long studentId, String code) {
        return Map.of("studentId", n(studentId), "entry", AttributeValue.fromS(HOLD + code));
    }

    private static String requireCode(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw ProblemException.invalid("a hold's code is 1 to 40 of a-z, 0-9 and '-'");
        }
        return code;
    }
}
