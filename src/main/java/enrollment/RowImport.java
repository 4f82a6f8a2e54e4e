package enrollment;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import json.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import problem.ProblemException;

/**
 * What the registrar's imports of student rows share ({@code POST /registrar/registration-windows},
 * {@code POST /registrar/completed-courses}): a file validated whole before anything is stored, as CSV (RFC 4180,
 * {@code text/csv}, a header naming the columns) or as the same rows in JSON, up to {@link #MAX_ROWS} rows, each
 * naming a student by its first column, {@code studentId}. Every row is checked, first by the import's own rules
 * ({@link #read}), then against the students who exist ({@link Rows#requireStudents}, which the route asks the user
 * store for); any bad row refuses the file with a 400 naming the first bad lines (CSV line numbers, the header being
 * line 1; JSON entry numbers from 1).
 *
 * @param <T> what a good row becomes
 */
public final class RowImport<T extends RowImport.StudentRow> {

    /** docs/api.md: up to 100,000 rows in one file. */
    public static final int MAX_ROWS = 100_000;
    /** How many bad lines the 400 names. */
    private static final int NAMED_PROBLEMS = 5;
    private static final Pattern ASCII_ID = Pattern.compile("[0-9]{1,19}");
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true).setTrim(true).get();

    /** A good row: it names a student. */
    public interface StudentRow {
        long studentId();
    }

    /** The JSON form's body: an object with one array of entries. */
    public interface JsonBody {
        List<? extends JsonEntry> entries();
    }

    /** One JSON entry, checked as the CSV row of the same columns. */
    public interface JsonEntry {
        /** @return the fields in the columns' order, as text; null for a field left out */
        List<String> fields();
    }

    private final String what;
    private final List<String> columns;
    private final int required;
    private final Class<? extends JsonBody> jsonBody;
    private final BiFunction<Long, List<String>, T> reader;
    private final Function<T, Object> key;
    private final Function<T, String> repeated;

    /**
     * @param what what the file holds, for the 415's detail ("registration windows")
     * @param columns the CSV header, {@code studentId} first
     * @param required how many of the columns, from the first, a header must name (the others may be left out)
     * @param jsonBody the JSON form's body type (read strictly, {@link Json#read})
     * @param reader makes a good row of the student id and the other fields (in the columns' order, null where left
     *               out), or throws an {@link IllegalArgumentException} whose message is the row's problem
     * @param key what makes two rows the same
     * @param repeated the problem of a row whose key an earlier row has; null when such a row simply counts once
     */
    public RowImport(String what, List<String> columns, int required, Class<? extends JsonBody> jsonBody,
                     BiFunction<Long, List<String>, T> reader, Function<T, Object> key, Function<T, String> repeated) {
        this.what = what;
        this.columns = List.copyOf(columns);
        this.required = required;
        this.jsonBody = jsonBody;
        this.reader = reader;
        this.key = key;
        this.repeated = repeated;
    }

    /**
     * Reads and checks every row by the import's own rules.
     *
     * @param text the body, read as UTF-8
     * @param contentType the request's media type: {@code text/csv} or {@code application/json} (parameters allowed)
     * @return the rows, whose students are still to be checked ({@link Rows#requireStudents})
     * @throws ProblemException 400 {@code invalid-request} for a malformed file or more than {@link #MAX_ROWS} rows,
     *         or 415 for another media type
     */
    public Rows<T> read(String text, String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
        if (mediaType.equalsIgnoreCase("text/csv")) {
            return csv(text == null ? "" : text);
        }
        if (mediaType.equalsIgnoreCase("application/json")) {
            return json(Json.read(text, jsonBody));
        }
        throw new ProblemException(415, "unsupported-media-type", what + " come as text/csv or application/json");
    }

    private Rows<T> csv(String text) {
        try (CSVParser parser = CSV.parse(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text))) {
            List<String> header = parser.getHeaderNames();
            if (header.size() < required || !header.equals(columns.subList(0, Math.min(header.size(), columns.size())))) {
                throw ProblemException.invalid("line 1: the header must be " + String.join(",", columns));
            }
            Rows<T> rows = new Rows<>();
            for (CSVRecord record : parser) {
                rows.count();
                String line = "line " + parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    rows.bad(line, "has " + record.size() + " fields, the header " + header.size());
                    continue;
                }
                List<String> fields = new ArrayList<>(record.toList());
                while (fields.size() < columns.size()) {
                    fields.add(null);
                }
                add(rows, line, fields);
            }
            return rows;
        } catch (UncheckedIOException | IOException | IllegalStateException malformed) {
            // commons-csv reports a broken quote or a duplicate header this way
            throw ProblemException.invalid("the CSV is malformed: " + malformed.getMessage());
        }
    }

    private Rows<T> json(JsonBody body) {
        Rows<T> rows = new Rows<>();
        List<? extends JsonEntry> entries = body.entries();
        for (int i = 0; i < entries.size(); i++) {
            rows.count();
            String entry = "entry " + (i + 1);
            if (entries.get(i) == null) {
                rows.bad(entry, "is null");
                continue;
            }
            add(rows, entry, entries.get(i).fields());
        }
        return rows;
    }

    /** Checks one row: the student id, then the import's rules, then whether an earlier row is the same. */
    private void add(Rows<T> rows, String line, List<String> fields) {
        String studentId = fields.get(0);
        long id = id(studentId);
        if (id < 1) {
            rows.bad(line, "studentId '" + (studentId == null ? "" : studentId) + "' is not a positive integer id");
            return;
        }
        T row;
        try {
            row = reader.apply(id, fields.subList(1, fields.size()));
        } catch (IllegalArgumentException e) {
            rows.bad(line, e.getMessage());
            return;
        }
        if (!rows.keys.add(key.apply(row))) {
            if (repeated != null) {
                rows.bad(line, repeated.apply(row));
            }
            return;
        }
        rows.good(line, row);
    }

    /** The id in ASCII digits, or 0 when it is not a positive 64-bit integer written so. */
    private static long id(String text) {
        try {
            return text != null && ASCII_ID.matcher(text).matches() ? Long.parseLong(text) : 0;
        } catch (NumberFormatException tooLarge) {
            return 0;
        }
    }

    /**
     * A file's rows as read: the good ones (a row the same as an earlier one left out), where each stands, and the
     * problems met.
     *
     * @param <T> what a good row is
     */
    public static final class Rows<T extends StudentRow> {
        private final List<T> values = new ArrayList<>();
        /** For each good row, its line (or entry) and its place among all rows. */
        private final List<String> lines = new ArrayList<>();
        private final List<Integer> places = new ArrayList<>();
        private final Set<Object> keys = new HashSet<>();
        /** The first bad rows met, in the file's order. */
        private final List<Problem> problems = new ArrayList<>();
        private int rows;
        private int badRows;

        private record Problem(int place, String text) {
        }

        private Rows() {
        }

        /** One more row read, good or bad. */
        private void count() {
            if (++rows > MAX_ROWS) {
                throw ProblemException.invalid("more than " + MAX_ROWS + " rows; split the file");
            }
        }

        private void bad(String line, String problem) {
            if (problems.size() < NAMED_PROBLEMS) {
                problems.add(new Problem(rows, line + ": " + problem));
            }
            badRows++;
        }

        private void good(String line, T row) {
            values.add(row);
            lines.add(line);
            places.add(rows);
        }

        /** @return the students the good rows name, each once */
        public Set<Long> studentIds() {
            Set<Long> ids = new LinkedHashSet<>();
            for (T row : values) {
                ids.add(row.studentId());
            }
            return ids;
        }

        /**
         * Takes the file, or refuses it whole.
         *
         * @param students which of {@link #studentIds} are students who exist
         * @return the good rows, in the file's order
         * @throws ProblemException 400 {@code invalid-request} when a row is bad by the import's rules or names a
         *         student who does not exist, naming the first bad lines; nothing is stored
         */
        public List<T> requireStudents(Set<Long> students) {
            int unknown = 0;
            List<Problem> named = new ArrayList<>(problems);
            for (int i = 0; i < values.size(); i++) {
                long id = values.get(i).studentId();
                if (!students.contains(id) && unknown++ < NAMED_PROBLEMS) {
                    named.add(new Problem(places.get(i), lines.get(i) + ": no student has the id " + id));
                }
            }
            int bad = badRows + unknown;
            if (bad > 0) {
                throw ProblemException.invalid(bad + " bad row" + (bad == 1 ? "" : "s") + ", nothing was imported; "
                        + String.join("; ", named.stream().sorted(Comparator.comparingInt(Problem::place))
                        .limit(NAMED_PROBLEMS).map(Problem::text).toList()));
            }
            return values;
        }
    }
}
