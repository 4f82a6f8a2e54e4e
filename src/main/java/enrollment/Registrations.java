package enrollment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import store.BatchWrites;
import store.Tables;
import static enrollment.Classes.n;

/**
 * Registration windows and holds in DynamoDB, the truth for both. A student's partition of the {@code registration}
 * table holds their window (entry {@code window}) and their holds (entries {@code hold#<code>}), so what an
 * enroll request must know is one consistent Query; the default window (a row of {@code settings}) is read only
 * for students without a window of their own. Windows are imported in {@code BatchWriteItem}s of 25; a window
 * row never touches the hold rows beside it.
 */
public final class Registrations {

    /** docs/api.md: a hold's code. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9-]{1,40}");
    private static final String WINDOW = "window";
    private static final String HOLD = "hold#";
    private static final Map<String, AttributeValue> DEFAULT_WINDOW_KEY =
            Map.of("name", AttributeValue.fromS("registrationWindow"));

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final BatchWrites batches;

    public Registrations(DynamoDbClient dynamo, Tables tables, BatchWrites batches) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.batches = batches;
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
     * The student's window and holds, as of now: one consistent Query of their partition, and the default window
     * when they have none of their own.
     */
    public RegistrationStatus of(long studentId) {
        RegistrationWindow own = null;
        List<RegistrationStatus.Hold> holds = new ArrayList<>();
        for (Map<String, AttributeValue> row : partition(studentId)) {
            String entry = row.get("entry").s();
            if (entry.equals(WINDOW)) {
                own = window(row);
            } else {
                holds.add(hold(row));
            }
        }
        RegistrationWindow window = own != null ? own : window(dynamo.getItem(b -> b.tableName(tables.settings())
                .key(DEFAULT_WINDOW_KEY).consistentRead(true)).item());
        return RegistrationStatus.of(window, holds, Instant.now());
    }

    /** The student's holds, by code. */
    public Holds holdsOf(long studentId) {
        return new Holds(partition(studentId).stream().filter(row -> row.get("entry").s().startsWith(HOLD))
                .map(Registrations::hold).toList());
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
     * @return the student's holds left
     * @throws ProblemException 404 {@code not-held} when the student has no hold of that code
     */
    public Holds liftHold(long studentId, String code) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.registration()).key(holdKey(studentId, requireCode(code)))
                    .conditionExpression("attribute_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry")));
        } catch (ConditionalCheckFailedException e) {
            throw ProblemException.notFound("not-held", "student " + studentId + " has no hold '" + code + "'");
        }
        return holdsOf(studentId);
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
