package enrollment;

import static enrollment.Classes.n;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import problem.ProblemException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import store.BatchWrites;
import store.Tables;
import text.Names;

/**
 * The courses students completed, in DynamoDB: one row {@code completed#<courseCode>} of the student's partition of
 * the {@code registration} table each ({@link Registrations} draws the partition), so that every add reads them with
 * the rest of the student's record in one Query, and an import is plain {@code BatchWriteItem} puts.
 */
public final class CompletedCourses {

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final BatchWrites batches;

    public CompletedCourses(DynamoDbClient dynamo, Tables tables, BatchWrites batches) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.batches = batches;
    }

    /** A student's completed courses: {@code GET .../completed-courses}, and the answer of removing one. */
    public record Courses(List<String> courses) {
    }

    /**
     * @param courseCode a course code as a request gives it
     * @return it in NFC
     * @throws IllegalArgumentException when it is not a valid course code (as a class's {@code courseCode})
     */
    static String requireCode(String courseCode) {
        return Names.require("courseCode", courseCode, Prerequisites.MAX_CODE_LENGTH);
    }

    /**
     * Stores the courses; a row already stored stays one row, its {@code completedAt} now the time of this import.
     *
     * @param completed the validated rows of one file, each once
     * @return how many rows the file had, each counted once
     */
    public Registrations.Imported importAll(List<CompletedCourseImport.CompletedCourse> completed) {
        AttributeValue now = n(System.currentTimeMillis());
        List<Map<String, AttributeValue>> rows = new ArrayList<>(completed.size());
        for (CompletedCourseImport.CompletedCourse course : completed) {
            rows.add(Map.of("studentId", n(course.studentId()),
                    "entry", AttributeValue.fromS(Registrations.COMPLETED + course.courseCode()), "completedAt", now));
        }
        batches.putAll(tables.registration(), rows);
        return new Registrations.Imported(completed.size());
    }

    /**
     * @param studentId a student
     * @return the courses they completed, sorted by code point (the order DynamoDB keeps the rows in)
     */
    public Courses of(long studentId) {
        List<String> courses = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.registration()).consistentRead(true)
                        .keyConditionExpression("studentId = :s AND begins_with(#entry, :prefix)")
                        .expressionAttributeNames(Map.of("#entry", "entry"))
                        .expressionAttributeValues(Map.of(":s", n(studentId),
                                ":prefix", AttributeValue.fromS(Registrations.COMPLETED)))
                        .projectionExpression("#entry"))
                .items().forEach(row -> courses.add(row.get("entry").s().substring(Registrations.COMPLETED.length())));
        return new Courses(courses);
    }

    /**
     * Removes a completed course (imported by mistake).
     *
     * @param courseCode the code, URL-decoded
     * @return the courses the student has left
     * @throws ProblemException 400 {@code invalid-request} when the code is no valid course code; 404
     *         {@code not-completed} when the student has not completed it
     */
    public Courses remove(long studentId, String courseCode) {
        String code;
        try {
            code = requireCode(courseCode);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage());
        }
        try {
            dynamo.deleteItem(b -> b.tableName(tables.registration())
                    .key(Map.of("studentId", n(studentId), "entry", AttributeValue.fromS(Registrations.COMPLETED + code)))
                    .conditionExpression("attribute_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry")));
        } catch (ConditionalCheckFailedException e) {
            throw ProblemException.notFound("not-completed", "student " + studentId + " has not completed " + code);
        }
        return of(studentId);
    }
}
