package enrollment;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import store.Tables;
import static enrollment.Classes.n;

/**
 * The writes of a student's schedule item (enrollment/Registrations draws the partition), as items of the seat
 * transactions of {@link Enrollments} and {@link Offers}: every seat or offer a student gains or loses changes their
 * schedule in the same {@code TransactWriteItems}, so the schedule is exactly the student's enrolled and offered
 * classes. A gain is conditioned on the version the checks read (docs/api.md "Registration rules": two requests of
 * one student at once cannot both pass on the same schedule); a loss only moves the version on.
 */
public final class Schedules {

    private final Tables tables;

    /**
     * @param tables the table names
     */
    public Schedules(Tables tables) {
        this.tables = tables;
    }

    /**
     * The student gains a class (and, for a swap, loses another), if their schedule is still as read.
     *
     * @param studentId the student
     * @param expectedVersion the schedule's version the checks read ({@link StudentRecord.Schedule#version}; 0: no
     *                        item yet)
     * @param course the class gained, copied onto the schedule
     * @param dropping the class lost in the same step, or null
     * @return the transaction item; its condition fails when the schedule changed since it was read
     */
    TransactWriteItem gain(long studentId, long expectedVersion, CourseClass course, Long dropping) {
        Map<String, String> names = new HashMap<>(Map.of("#version", "version",
                "#gained", Registrations.SCHEDULED + course.id()));
        String update = "SET #gained = :entry, #version = if_not_exists(#version, :zero) + :one";
        if (dropping != null) {
            names.put("#lost", Registrations.SCHEDULED + dropping);
            update += " REMOVE #lost";
        }
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values = new HashMap<>(Map.of(
                ":entry", Registrations.scheduled(course), ":zero", n(0), ":one", n(1)));
        String condition;
        if (expectedVersion == 0) {
            condition = "attribute_not_exists(#version)";
        } else {
            condition = "#version = :expected";
            values.put(":expected", n(expectedVersion));
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.registration())
                .key(Registrations.scheduleKey(studentId)).updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    /**
     * The student loses a class (a drop, an offer declined, lapsed or withdrawn): whatever the version.
     *
     * @param studentId the student
     * @param classId the class lost
     * @return the transaction item (unconditional: a schedule item is made when there was none)
     */
    TransactWriteItem lose(long studentId, long classId) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tables.registration())
                .key(Registrations.scheduleKey(studentId))
                .updateExpression("SET #version = if_not_exists(#version, :zero) + :one REMOVE #lost")
                .expressionAttributeNames(Map.of("#version", "version", "#lost", Registrations.SCHEDULED + classId))
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1))).build()).build();
    }
}
