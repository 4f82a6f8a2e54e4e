package enrollment;

import java.util.Arrays;
import java.util.List;
import problem.ProblemException;

/**
 * Reads the registrar's file of registration windows ({@code POST /registrar/registration-windows}), validated
 * whole before anything is stored ({@link RowImport}): a CSV with the header {@code studentId,opensAt,closesAt}
 * ({@code closesAt} optional, and the column too) or JSON {@code {windows:[{studentId, opensAt, closesAt?}...]}}. A
 * student's second row is a bad row: which of two windows was meant is not for the service to guess.
 */
public final class WindowImport {

    private final RowImport<StudentWindow> file = new RowImport<>("registration windows",
            List.of("studentId", "opensAt", "closesAt"), 2, WindowsBody.class, WindowImport::window,
            StudentWindow::studentId, window -> "student " + window.studentId() + " has a window on an earlier line");

    /** One student's window, as stored. */
    public record StudentWindow(long studentId, RegistrationWindow window) implements RowImport.StudentRow {
    }

    /** The JSON form's body. */
    public record WindowsBody(List<WindowRow> windows) implements RowImport.JsonBody {
        public WindowsBody {
            if (windows == null) {
                throw new IllegalArgumentException("windows must be an array");
            }
        }

        @Override
        public List<WindowRow> entries() {
            return windows;
        }
    }

    /** One JSON entry, checked by the same rules as a CSV row. */
    public record WindowRow(Long studentId, String opensAt, String closesAt) implements RowImport.JsonEntry {
        @Override
        public List<String> fields() {
            return Arrays.asList(studentId == null ? null : studentId.toString(), opensAt, closesAt);
        }
    }

    /**
     * @param text the body, read as UTF-8
     * @param contentType the request's media type: {@code text/csv} or {@code application/json} (parameters
     *                    allowed)
     * @return the windows, in the file's order, whose students are still to be checked
     * @throws ProblemException 400 {@code invalid-request} for a malformed file or too many rows, or 415 for another
     *         media type
     */
    public RowImport.Rows<StudentWindow> read(String text, String contentType) {
        return file.read(text, contentType);
    }

    private static StudentWindow window(long studentId, List<String> fields) {
        String opensAt = fields.get(0);
        if (opensAt == null || opensAt.isEmpty()) {
            throw new IllegalArgumentException("opensAt is missing");
        }
        return new StudentWindow(studentId, RegistrationWindow.parse(opensAt, fields.get(1)));
    }
}
