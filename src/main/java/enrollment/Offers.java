package enrollment;

import com.fasterxml.jackson.annotation.JsonProperty;
import event.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import store.Tables;
import store.Transactions;
import static enrollment.Classes.key;
import static enrollment.Classes.n;

/**
 * Seat offers in DynamoDB (docs/api.md "Seat offers"): a row per open offer in the offers table, and on the class row
 * {@code offered} (the seats held) and {@code taken} ({@code enrolled + offered}; a condition cannot add two
 * attributes, so the sum is kept, in the same transactions). Every change of an offer is one transaction with the
 * class row, and the deletion of the offer row is its claim: of an accept, a decline and an expiry racing, on any
 * number of instances, exactly one finds the row.
 */
public final class Offers {

    /** An open offer: the seat is held for the student until {@code expiresAt}. */
    public record Offer(long classId, long studentId, String name, Instant expiresAt) {
    }

    /** An offer of the student's answer ({@code GET /student/offers}): the class and the deadline. */
    public record StudentOffer(@JsonProperty("class") CourseClass course, Instant expiresAt) {
    }

    /** {@code GET /student/offers}. */
    public record StudentOffers(List<StudentOffer> offers) {
    }

    /** The value of every offer row's {@code open} attribute, the partition of the {@code byExpiry} index. */
    private static final AttributeValue OPEN = AttributeValue.fromS("all");
    /** The class row's {@code taken} is written by every seat change; a row from before offers has only enrolled. */
    static final String TAKEN_BELOW_CAPACITY =
            "(#taken < #capacity OR (attribute_not_exists(#taken) AND #enrolled < #capacity))";

    private final DynamoDbClient dynamo;
    private final SeatTransactions seats;
    private final Tables tables;
    private final Schedules schedules;
    private final Duration hour;

    /**
     * @param dynamo the DynamoDB client (the reads)
     * @param seats how seat changes are written, shared with {@link Enrollments}: an offered class is on the
     *              student's schedule (it counts for the registration rules as an enrolled one does), written in the
     *              same transaction as the offer
     * @param hour how long an offer hour lasts: one hour, except in tests (setting {@code OFFER_HOUR})
     */
    public Offers(DynamoDbClient dynamo, SeatTransactions seats, Duration hour) {
        this.dynamo = dynamo;
        this.seats = seats;
        this.tables = seats.tables();
        this.schedules = seats.schedules();
        this.hour = hour;
    }

    /**
     * When an offer made now in the class lapses.
     *
     * @param course the class (its {@code offerHours})
     * @return now plus {@code offerHours} offer hours
     */
    public Instant deadline(CourseClass course) {
        // to the millisecond, as the offer row stores it, so the event and the answers name the same instant
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(hour.multipliedBy(course.offerHours()));
    }

    /**
     * Holds a free seat for the student: +1 offered and taken on the class while {@code taken < capacity}, the offer
     * row, the class on the student's schedule (while it is at the version their checks read), and the
     * {@code seat-offered} event, in one transaction.
     *
     * @param course the class, as the checks read it
     * @param scheduleVersion the version of the student's schedule the checks read
     * @param event the {@code seat-offered} event, whose {@code expiresAt} is the offer's
     * @return ENROLLED when the offer is made, ALREADY_ENROLLED when it was made already (a promotion finished
     *         twice), FULL_OR_NO_CLASS when no seat is free or the class is gone, SCHEDULE_CHANGED (check again)
     */
    public Enrollments.Outcome offer(CourseClass course, long studentId, String name, long scheduleVersion,
                                     Event event) {
        long classId = course.id();
        return seats.inTurn(classId, budget -> {
            long now = System.currentTimeMillis();
            List<TransactWriteItem> items = List.of(
                    classUpdate(classId, "#offered = if_not_exists(#offered, :zero) + :one, "
                            + "#taken = if_not_exists(#taken, #enrolled) + :one",
                            "attribute_exists(#id) AND " + TAKEN_BELOW_CAPACITY, now),
                    TransactWriteItem.builder().put(Put.builder().tableName(tables.offers())
                            .item(Map.of("classId", n(classId), "studentId", n(studentId),
                                    "name", AttributeValue.fromS(name), "open", OPEN,
                                    "expiresAt", n(event.expiresAt().toEpochMilli()), "offeredAt", n(now)))
                            .conditionExpression("attribute_not_exists(studentId)").build()).build(),
                    schedules.gain(studentId, scheduleVersion, course, null));
            return seats.take(items, event, budget, e -> SeatTransactions.refused(e, 0, 1, 2));
        });
    }

    /**
     * Accepts the student's open offer: the offer row goes (while not lapsed), the held seat becomes an enrolled one
     * (+1 enrolled, −1 offered, taken unchanged), the enrollment row and the {@code enrolled} event are written, and
     * the schedule (which holds the class since the offer) is renewed while at the version the checks read, in one
     * transaction.
     *
     * @param course the class, as the checks read it
     * @param scheduleVersion the version of the student's schedule the checks read
     * @return ENROLLED, ALREADY_ENROLLED (the student holds a seat in the class already: the offer stays),
     *         FULL_OR_NO_CLASS when there is no open offer (none, lapsed, or ended by a racing request), or
     *         SCHEDULE_CHANGED (check again)
     */
    public Enrollments.Outcome accept(CourseClass course, long studentId, String name, long scheduleVersion,
                                      Event event) {
        long classId = course.id();
        return seats.inTurn(classId, budget -> {
            long now = System.currentTimeMillis();
            List<TransactWriteItem> items = List.of(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(tables.offers())
                            .key(offerKey(classId, studentId))
                            .conditionExpression("attribute_exists(studentId) AND expiresAt > :now")
                            .expressionAttributeValues(Map.of(":now", n(now))).build()).build(),
                    classUpdate(classId, "#enrolled = #enrolled + :one, #offered = #offered - :one",
                            "attribute_exists(#id)", now),
                    seats.enrollmentRow(classId, studentId, name, now),
                    schedules.gain(studentId, scheduleVersion, course, null));
            // no offer to take (the offer row, or the class with it) before a seat held already
            return seats.take(items, event, budget, e -> Transactions.failed(e, 0) || Transactions.failed(e, 1)
                    ? Enrollments.Outcome.FULL_OR_NO_CLASS : SeatTransactions.refused(e, 1, 2, 3));
        });
    }

    /**
     * Declines the student's offer in the class, whatever its deadline (a lapsed one not yet swept included).
     *
     * @return true when this call ended it; false when there was no offer
     */
    public boolean decline(long classId, long studentId) {
        return release(classId, studentId, null, null);
    }

    /**
     * Ends a lapsed offer (the expiry sweep), with its {@code offer-expired} event.
     *
     * @param offer an offer the sweep found lapsed
     * @return true when this call ended it; false when another did (an instance's sweep, or an accept or decline just
     *         before the deadline)
     */
    public boolean expire(Offer offer, Event event) {
        return release(offer.classId(), offer.studentId(), System.currentTimeMillis(), event);
    }

    /**
     * Ends an offer without a seat taken (declined, or lapsed): the offer row goes, −1 offered and taken on the
     * class, in one transaction with the event it causes, if any.
     *
     * @param lapsedBy null to end the offer whatever its deadline (a decline); else the time (epoch ms) it must have
     *        lapsed by (the expiry sweep: an offer accepted or extended since is left alone)
     * @param event the {@code offer-expired} event, or null
     * @return true when this call ended the offer; false when there was none to end
     */
    private boolean release(long classId, long studentId, Long lapsedBy, Event event) {
        return seats.inTurn(classId, budget -> {
            Delete.Builder claim = Delete.builder().tableName(tables.offers()).key(offerKey(classId, studentId));
            if (lapsedBy == null) {
                claim.conditionExpression("attribute_exists(studentId)");
            } else {
                claim.conditionExpression("attribute_exists(studentId) AND expiresAt <= :lapsed")
                        .expressionAttributeValues(Map.of(":lapsed", n(lapsedBy)));
            }
            return seats.end(List.of(
                    TransactWriteItem.builder().delete(claim.build()).build(),
                    classUpdate(classId, "#offered = #offered - :one, #taken = #taken - :one", "attribute_exists(#id)",
                            System.currentTimeMillis()),
                    schedules.lose(studentId, classId)), event, budget);
        });
    }

    /**
     * Ends an offer of a removed class: its row goes and the class leaves the student's schedule, nothing else (there
     * is no class row to count on, and no event: the class's subscribers get {@code class-removed}).
     *
     * @param offer an offer of a class that no longer exists
     * @return true when this call deleted the row; false when it was gone already
     */
    public boolean withdraw(Offer offer) {
        try {
            seats.write(List.of(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(tables.offers())
                            .key(offerKey(offer.classId(), offer.studentId()))
                            .conditionExpression("attribute_exists(studentId)").build()).build(),
                    schedules.lose(offer.studentId(), offer.classId())));
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.failed(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param classId the class
     * @return every offer row of the class, lapsed ones not yet swept included, read consistently (what a removal
     *         of the class ends)
     */
    public List<Offer> allOf(long classId) {
        List<Offer> found = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.offers()).consistentRead(true)
                        .keyConditionExpression("classId = :c").expressionAttributeValues(Map.of(":c", n(classId))))
                .items().forEach(item -> found.add(from(item)));
        return found;
    }

    /**
     * The student's open offer in the class, read consistently.
     *
     * @return the offer, or null when there is none or it lapsed (then it only waits for the sweep)
     */
    public Offer find(long classId, long studentId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.offers())
                .key(offerKey(classId, studentId)).consistentRead(true)).item();
        Offer offer = item == null || item.isEmpty() ? null : from(item);
        return offer == null || !offer.expiresAt().isAfter(Instant.now()) ? null : offer;
    }

    /**
     * @return the class's open offers (not lapsed), oldest first, read consistently (the instructor's list)
     */
    public List<Offer> ofClass(long classId) {
        Instant now = Instant.now();
        return allOf(classId).stream().filter(offer -> offer.expiresAt().isAfter(now))
                .sorted(Comparator.comparing(Offer::expiresAt)).toList();
    }

    /**
     * @return the student's open offers (not lapsed), by class id, from the {@code byStudent} index
     */
    public List<Offer> ofStudent(long studentId) {
        List<Offer> found = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.offers()).indexName("byStudent")
                        .keyConditionExpression("studentId = :s").expressionAttributeValues(Map.of(":s", n(studentId))))
                .items().forEach(item -> found.add(from(item)));
        Instant now = Instant.now();
        return found.stream().filter(offer -> offer.expiresAt().isAfter(now)).toList();
    }

    /**
     * @param limit at most this many
     * @return offers whose deadline has passed, earliest first (the expiry sweep's work)
     */
    public List<Offer> lapsed(int limit) {
        return dynamo.query(b -> b.tableName(tables.offers()).indexName("byExpiry").limit(limit)
                        .keyConditionExpression("#open = :all AND expiresAt <= :now")
                        .expressionAttributeNames(Map.of("#open", "open"))
                        .expressionAttributeValues(Map.of(":all", OPEN, ":now", n(System.currentTimeMillis()))))
                .items().stream().map(Offers::from).toList();
    }

    private TransactWriteItem classUpdate(long classId, String set, String condition, long now) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.classes()).key(key(classId))
                .updateExpression("SET " + set + ", #version = #version + :one, #updatedAt = :now")
                .conditionExpression(condition)
                .expressionAttributeNames(used(set + condition + "#version#updatedAt", NAMES))
                .expressionAttributeValues(used(set + condition + ":one:now",
                        Map.of(":one", n(1), ":zero", n(0), ":now", n(now)))).build()).build();
    }

    /** The attribute names of the class row the updates use. */
    private static final Map<String, String> NAMES = Map.of("#id", "id", "#enrolled", "enrolled", "#offered",
            "offered", "#taken", "taken", "#capacity", "capacity", "#version", "version", "#updatedAt", "updatedAt");

    /** DynamoDB refuses names and values that the expressions do not use. */
    private static <V> Map<String, V> used(String expressions, Map<String, V> all) {
        return all.entrySet().stream().filter(entry -> expressions.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Map<String, AttributeValue> offerKey(long classId, long studentId) {
        return Map.of("classId", n(classId), "studentId", n(studentId));
    }

    private static Offer from(Map<String, AttributeValue> item) {
        return new Offer(Long.parseLong(item.get("classId").n()), Long.parseLong(item.get("studentId").n()),
                item.get("name").s(), Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())));
    }
}
