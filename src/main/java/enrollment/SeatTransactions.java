package enrollment;

import event.Event;
import event.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import store.HotItems;
import store.Tables;
import store.Transactions;
import static enrollment.Classes.n;

/**
 * How {@link Enrollments} and {@link Offers} write a seat change: in the class row's turn within the instance
 * ({@link HotItems}: at a registration rush the class row is the hot item every seat change writes), as one
 * transaction ({@link Transactions}, which sends it again on conflicts), with the event the change causes, and a
 * refusal read from the items whose conditions failed.
 */
public final class SeatTransactions {

    private final Transactions transactions;
    private final Tables tables;
    private final Outbox outbox;
    private final HotItems classRows;
    private final Schedules schedules;

    /**
     * @param transactions the DynamoDB transactions
     * @param tables the table names
     * @param outbox where a seat change's event is written, in its transaction
     * @param classRows the class rows' turns, one per class for enrollments and offers alike
     * @param schedules the students' schedule items, written in the same transactions as their seats
     */
    public SeatTransactions(Transactions transactions, Tables tables, Outbox outbox, HotItems classRows,
                            Schedules schedules) {
        this.transactions = transactions;
        this.tables = tables;
        this.outbox = outbox;
        this.classRows = classRows;
        this.schedules = schedules;
    }

    /** The table names the seat items are built for. */
    Tables tables() {
        return tables;
    }

    /** The students' schedule items the seat transactions change. */
    Schedules schedules() {
        return schedules;
    }

    /**
     * Runs a change of the class's seats when no other one of this instance writes the class row.
     *
     * @param write the change, given what is left of the budget
     * @return what the change returned
     * @throws store.StoreBusyException when the turn did not come within the budget
     */
    <T> T inTurn(long classId, Function<Duration, T> write) {
        return classRows.oneAtATime(tables.classes() + "#" + classId, write);
    }

    /**
     * Writes a seat taken (or held, or swapped) in one transaction: the items, then the event if any.
     *
     * @param event the event the seat causes, or null
     * @param refusal the outcome of a refused transaction, from the items whose conditions failed (it rethrows a
     *                refusal that is not a seat's)
     * @return ENROLLED when written, else what {@code refusal} made of the refusal
     */
    Enrollments.Outcome take(List<TransactWriteItem> items, Event event, Duration budget,
                             Function<TransactionCanceledException, Enrollments.Outcome> refusal) {
        try {
            transactions.write(withEvent(items, event), budget);
            return Enrollments.Outcome.ENROLLED;
        } catch (TransactionCanceledException e) {
            return refusal.apply(e);
        }
    }

    /**
     * Writes a seat freed or an offer ended in one transaction: the items, then the event if any.
     *
     * @param items the first two are the row that ends (a seat, an offer) and the class row: their conditions
     *              fail when there is nothing to end
     * @param event the event the change causes, or null
     * @return true when written; false when there was nothing to end
     * @throws TransactionCanceledException when another item refused
     */
    boolean end(List<TransactWriteItem> items, Event event, Duration budget) {
        try {
            transactions.write(withEvent(items, event), budget);
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.failed(e, 0) || Transactions.failed(e, 1)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Writes items outside any turn, within the whole budget (what ends with a removed class: there is no class row
     * to contend for).
     *
     * @throws TransactionCanceledException when a condition failed
     */
    void write(List<TransactWriteItem> items) {
        transactions.write(items);
    }

    /** The enrollment row of a seat taken; refused when the student holds the seat already. */
    TransactWriteItem enrollmentRow(long classId, long studentId, String name, long now) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tables.enrollments())
                .item(Map.of("classId", n(classId), "studentId", n(studentId),
                        "name", AttributeValue.fromS(name), "enrolledAt", n(now)))
                .conditionExpression("attribute_not_exists(studentId)").build()).build();
    }

    /**
     * Why a seat transaction was refused: the enrollment row exists (already enrolled) before the class refused (full
     * or gone) before the schedule moved on (check again).
     *
     * @return ALREADY_ENROLLED, FULL_OR_NO_CLASS or SCHEDULE_CHANGED
     * @throws TransactionCanceledException when none of those items refused (not a seat's refusal)
     */
    static Enrollments.Outcome refused(TransactionCanceledException e, int classItem, int rowItem, int scheduleItem) {
        if (Transactions.failed(e, rowItem)) {
            return Enrollments.Outcome.ALREADY_ENROLLED;
        }
        if (Transactions.failed(e, classItem)) {
            return Enrollments.Outcome.FULL_OR_NO_CLASS;
        }
        if (Transactions.failed(e, scheduleItem)) {
            return Enrollments.Outcome.SCHEDULE_CHANGED;
        }
        throw e;
    }

    private List<TransactWriteItem> withEvent(List<TransactWriteItem> items, Event event) {
        if (event == null) {
            return items;
        }
        List<TransactWriteItem> all = new ArrayList<>(items);
        all.add(TransactWriteItem.builder().put(outbox.put(event)).build());
        return all;
    }
}
