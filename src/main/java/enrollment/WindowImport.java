package enrollment;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import json.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import problem.ProblemException;

/**
 * Reads the registrar's file of registration windows ({@code POST /registrar/registration-windows}), validated
 * whole before anything is stored: a CSV (RFC 4180, header {@code studentId,opensAt,closesAt}, {@code closesAt}
 * optional and the column too) or JSON {@code {windows:[{studentId, opensAt, closesAt?}...]}}. Every row is
 * checked; any bad one refuses the file with a 400 naming the first bad lines (CSV line numbers, the header
 * being line 1; JSON entry numbers from 1).
 */
public final class WindowImport {

    /** docs/api.md: up to 100,000 rows in one file. */
    public static final int MAX_ROWS = 100_000;
    /** How many bad lines the 400 names. */
    private static final int NAMED_PROBLEMS = 5;
    private static final Pattern ASCII_ID = Pattern.compile("[0-9]{1,19}");
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true).setTrim(true).get();

    /** One student's window, as stored. */
    public record StudentWindow(long studentId, RegistrationWindow window) {
    }

    /** The JSON form's body. */
    public record WindowsBody(List<WindowRow> windows) {
        public WindowsBody {
            if (windows == null) {
                throw new IllegalArgumentException("windows must be an array");
            }
        }
    }

    /** One JSON entry, checked by the same rules as a CSV row. */
    public record WindowRow(Long studentId, String opensAt, String closesAt) {
    }

    /**
     * @param text the body, read as UTF-8
     * @param contentType the request's media type: {@code text/csv} or {@code application/json} (parameters
     *                    allowed)
     * @return the windows, in the file's order
     * @throws ProblemException 400 {@code invalid-request} naming the first bad lines, or 415 for another media type
     */
    public List<StudentWindow> read(String text, String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
        if (mediaType.equalsIgnoreCase("text/csv")) {
            return csv(text == null ? "" : text);
        }
        if (mediaType.equalsIgnoreCase("application/json")) {
            return json(Json.read(text, WindowsBody.class));
        }
        throw new ProblemException(415, "unsupported-media-type",
                "registration windows come as text/csv or application/json");
    }

    private static List<StudentWindow> csv(String text) {
        try (CSVParser parser = CSV.parse(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text))) {
            List<String> header = parser.getHeaderNames();
            if (!(header.equals(List.of("studentId", "opensAt", "closesAt")) || header.equals(List.of("studentId", "opensAt")))) {
                throw ProblemException.invalid("line 1: the header must be studentId,opensAt,closesAt");
            }
            Rows rows = new Rows();
            for (CSVRecord record : parser) {
                String line = "line " + parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    rows.bad(line, "has " + record.size() + " fields, the header " + header.size());
                    continue;
                }
                rows.add(line, record.get(0), record.get(1), header.size() > 2 ? record.get(2) : null);
            }
            return rows.windows();
        } catch (UncheckedIOException | IOException | IllegalStateException malformed) {
            // commons-csv reports a broken quote or a duplicate header this way
            throw ProblemException.invalid("the CSV is malformed: " + malformed.getMessage());
        }
    }

    private static List<StudentWindow> json(WindowsBody body) {
        Rows rows = new Rows();
        for (int i = 0; i < body.windows().size(); i++) {
            WindowRow row = body.windows().get(i);
            String entry = "entry " + (i + 1);
            if (row == null) {
                rows.bad(entry, "is null");
                continue;
            }
            rows.add(entry, row.studentId() == null ? "" : row.studentId().toString(), row.opensAt(), row.closesAt());
        }
        return rows.windows();
    }

    /** The rows read so far, and the problems met. */
    private static final class Rows {
        private final List<StudentWindow> windows = new ArrayList<>();
        private final Set<Long> students = new HashSet<>();
        private final List<String> problems = new ArrayList<>();
        private int badRows;

        void add(String line, String studentId, String opensAt, String closesAt) {
            if (windows.size() + badRows >= MAX_ROWS) {
                throw ProblemException.invalid("more than " + MAX_ROWS + " rows; split the file");
            }
            long id = id(studentId);
            if (id < 1) {
                bad(line, "studentId '" + studentId + "' is not a positive integer id");
                return;
            }
            if (opensAt == null || opensAt.isEmpty()) {
                bad(line, "opensAt is missing");
                return;
            }
            try {
                RegistrationWindow window = RegistrationWindow.parse(opensAt, closesAt);
                if (!students.add(id)) {
                    bad(line, "student " + id + " has a window on an earlier line");
                    return;
                }
                windows.add(new StudentWindow(id, window));
            } catch (IllegalArgumentException e) {
                bad(line, e.getMessage());
            }
        }

        /** The id in ASCII digits, or 0 when it is not a positive 64-bit integer written so. */
        private static long id(String text) {
            try {
                return text != null && ASCII_ID.matcher(text).matches() ? Long.parseLong(text) : 0;
            } catch (NumberFormatException tooLarge) {
                return 0;
            }
        }

        void bad(String line, String problem) {
            badRows++;
            if (problems.size() < NAMED_PROBLEMS) {
                problems.add(line + ": " + problem);
            }
        }

        List<StudentWindow> windows() {
            if (badRows > 0) {
                throw ProblemException.invalid(badRows + " bad row" + (badRows == 1 ? "" : "s") + ", nothing was "
                        + "imported; " + String.join("; ", problems));
            }
            return windows;
        }
    }
}
