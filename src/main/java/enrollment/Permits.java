package enrollment;

import static enrollment.Classes.n;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import store.Tables;

/**
 * What one student is allowed beyond the registration rules (docs/api.md "Registration rules"), in DynamoDB: their
 * permits, a row {@code permit#<classId>} each, and their own credit maximum, the row {@code max-credits}, both in the
 * student's partition of the {@code registration} table ({@link Registrations} draws it), where every add reads them
 * with the rest of the student's record in one Query.
 */
public final class Permits {

    /** docs/api.md: a student's own credit maximum. */
    static final int MAX_CREDITS_LIMIT = 40;

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final int defaultMaxCredits;

    /** @param defaultMaxCredits the credit maximum of students without their own ({@code MAX_CREDITS}) */
    public Permits(DynamoDbClient dynamo, Tables tables, int defaultMaxCredits) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.defaultMaxCredits = defaultMaxCredits;
    }

    /** The body of {@code PUT .../permits/...}: the checks the permit lets the student pass. */
    public record PermitRequest(List<String> overrides) {
        public PermitRequest {
            overrides = RegistrationRules.requireOverrides(overrides);
        }
    }

    /** A permit granted, and whether it replaced the student's permit for that class (200) or is new (201). */
    public record GrantedPermit(StudentRecord.Permit permit, boolean replaced) {
    }

    /** A student's permits, by class id: {@code GET .../permits}, and the answer of revoking one. */
    public record PermitList(List<StudentRecord.Permit> permits) {
    }

    /** The body of {@code PUT .../max-credits}, and the answer of setting or resetting it: the maximum that applies. */
    public record MaxCredits(Integer maxCredits) {
        public MaxCredits {
            if (maxCredits == null || maxCredits < 0 || maxCredits > MAX_CREDITS_LIMIT) {
                throw new IllegalArgumentException("maxCredits must be an integer from 0 to " + MAX_CREDITS_LIMIT);
            }
        }
    }

    /**
     * Grants a permit, replacing the student's permit for that class whole (its overrides, who granted it and when).
     *
     * @param overrides the checks it lets the student pass, validated ({@link PermitRequest})
     * @param grantedBy the registrar's or instructor's user id
     * @return the permit, and whether it replaced one
     */
    public GrantedPermit grant(long studentId, long classId, List<String> overrides, long grantedBy) {
        long now = System.currentTimeMillis();
        Map<String, AttributeValue> old = dynamo.putItem(b -> b.tableName(tables.registration())
                .item(Map.of("studentId", n(studentId), "entry", AttributeValue.fromS(Registrations.PERMIT + classId),
                        "overrides", AttributeValue.fromSs(overrides), "grantedBy", n(grantedBy), "grantedAt", n(now)))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return new GrantedPermit(new StudentRecord.Permit(classId, overrides, grantedBy, Instant.ofEpochMilli(now)),
                old != null && !old.isEmpty());
    }

    /** @return the student's permits, by class id */
    public PermitList of(long studentId) {
        List<StudentRecord.Permit> permits = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.registration()).consistentRead(true)
                        .keyConditionExpression("studentId = :s AND begins_with(#entry, :prefix)")
                        .expressionAttributeNames(Map.of("#entry", "entry"))
                        .expressionAttributeValues(Map.of(":s", n(studentId),
                                ":prefix", AttributeValue.fromS(Registrations.PERMIT))))
                .items().forEach(row -> permits.add(Registrations.permit(row)));
        // the rows come by their key's text: permit#10 before permit#9
        permits.sort(Comparator.comparingLong(StudentRecord.Permit::classId));
        return new PermitList(permits);
    }

    /**
     * Revokes a permit.
     *
     * @return the student's permits left
     * @throws ProblemException 404 {@code no-permit} when the student has no permit for that class
     */
    public PermitList revoke(long studentId, long classId) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.registration())
                    .key(Map.of("studentId", n(studentId), "entry", AttributeValue.fromS(Registrations.PERMIT + classId)))
                    .conditionExpression("attribute_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry")));
        } catch (ConditionalCheckFailedException e) {
            throw ProblemException.notFound("no-permit", "student " + studentId + " has no permit for class " + classId);
        }
        return of(studentId);
    }

    /**
     * Sets the student's own credit maximum.
     *
     * @return it
     */
    public MaxCredits setMaxCredits(long studentId, MaxCredits maximum) {
        dynamo.putItem(b -> b.tableName(tables.registration()).item(Map.of("studentId", n(studentId),
                "entry", AttributeValue.fromS(Registrations.MAX_CREDITS), "maxCredits", n(maximum.maxCredits()))));
        return maximum;
    }

    /**
     * Removes the student's own credit maximum, whether they had one or not.
     *
     * @return the maximum that applies to them now: {@code MAX_CREDITS}
     */
    public MaxCredits resetMaxCredits(long studentId) {
        dynamo.deleteItem(b -> b.tableName(tables.registration()).key(Map.of("studentId", n(studentId),
                "entry", AttributeValue.fromS(Registrations.MAX_CREDITS))));
        return new MaxCredits(defaultMaxCredits);
    }
}
