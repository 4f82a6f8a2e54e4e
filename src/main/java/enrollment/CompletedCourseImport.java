package enrollment;

import java.util.Arrays;
import java.util.List;
import problem.ProblemException;

/**
 * Reads the registrar's file of completed courses ({@code POST /registrar/completed-courses}), validated whole before
 * anything is stored ({@link RowImport}): a CSV with the header {@code studentId,courseCode} or JSON
 * {@code {completed:[{studentId, courseCode}...]}}. A row the same as an earlier one counts once: a transcript export
 * may well list a course twice (taken again), and completed is completed.
 */
public final class CompletedCourseImport {

    private final RowImport<CompletedCourse> file = new RowImport<>("completed courses",
            List.of("studentId", "courseCode"), 2, CompletedBody.class,
            (studentId, fields) -> new CompletedCourse(studentId, CompletedCourses.requireCode(fields.get(0))),
            course -> course, null);

    /**
     * A course a student completed, as stored.
     *
     * @param courseCode in NFC, as a class's
     */
    public record CompletedCourse(long studentId, String courseCode) implements RowImport.StudentRow {
    }

    /** The JSON form's body. */
    public record CompletedBody(List<CompletedRow> completed) implements RowImport.JsonBody {
        public CompletedBody {
            if (completed == null) {
                throw new IllegalArgumentException("completed must be an array");
            }
        }

        @Override
        public List<CompletedRow> entries() {
            return completed;
        }
    }

    /** One JSON entry, checked by the same rules as a CSV row. */
    public record CompletedRow(Long studentId, String courseCode) implements RowImport.JsonEntry {
        @Override
        public List<String> fields() {
            return Arrays.asList(studentId == null ? null : studentId.toString(), courseCode);
        }
    }

    /**
     * @param text the body, read as UTF-8
     * @param contentType the request's media type: {@code text/csv} or {@code application/json} (parameters
     *                    allowed)
     * @return the completed courses, each once, in the file's order, whose students are still to be checked
     * @throws ProblemException 400 {@code invalid-request} for a malformed file or too many rows, or 415 for another
     *         media type
     */
    public RowImport.Rows<CompletedCourse> read(String text, String contentType) {
        return file.read(text, contentType);
    }
}
