package enrollment;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A weekly meeting of a class (docs/api.md "Classes"): {@code days}, distinct letters of {@code MTWRFSU} (Monday …
 * Sunday, the SIS convention: R is Thursday, U Sunday), and a 24-hour {@code start} and {@code end} ({@code HH:MM},
 * {@code start < end}).
 *
 * @param days the days it meets, e.g. {@code "MWF"}
 * @param start when it begins, {@code HH:MM}
 * @param end when it ends, {@code HH:MM}, after {@code start}
 */
public record Meeting(String days, String start, String end) {

    /** docs/api.md: at most 7 meetings a class. */
    public static final int MAX_PER_CLASS = 7;
    private static final String DAY_LETTERS = "MTWRFSU";
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    /**
     * @throws IllegalArgumentException (a 400 {@code invalid-request}) when a day letter is not one of MTWRFSU or
     *         repeats, a time is not {@code HH:MM}, or {@code start} is not before {@code end}
     */
    public Meeting {
        if (days == null || days.isEmpty() || days.length() > DAY_LETTERS.length()
                || !days.chars().allMatch(day -> DAY_LETTERS.indexOf(day) >= 0)
                || days.chars().distinct().count() != days.length()) {
            throw new IllegalArgumentException("a meeting's days must be distinct letters of MTWRFSU, e.g. \"MWF\"");
        }
        if (start == null || !TIME.matcher(start).matches() || end == null || !TIME.matcher(end).matches()) {
            throw new IllegalArgumentException("a meeting's start and end must be 24-hour times HH:MM, e.g. \"09:50\"");
        }
        if (start.compareTo(end) >= 0) {
            throw new IllegalArgumentException("a meeting's start (" + start + ") must be before its end (" + end + ")");
        }
    }

    /**
     * Whether the two meet at the same time: a day letter in common, {@code start < other.end} and
     * {@code other.start < end}, so a meeting ending at 11:15 and one starting at 11:15 do not overlap. {@code HH:MM}
     * compares as text in time order.
     *
     * @param other another meeting
     * @return true when they overlap
     */
    public boolean overlaps(Meeting other) {
        return days.chars().anyMatch(day -> other.days.indexOf(day) >= 0)
                && start.compareTo(other.end) < 0 && other.start.compareTo(end) < 0;
    }

    /**
     * @param meetings a class's meetings, or null for none
     * @return them, unmodifiable (none for null)
     * @throws IllegalArgumentException when there are more than {@link #MAX_PER_CLASS} or one is null
     */
    public static List<Meeting> requireAll(List<Meeting> meetings) {
        if (meetings == null) {
            return List.of();
        }
        if (meetings.size() > MAX_PER_CLASS || meetings.contains(null)) {
            throw new IllegalArgumentException("meetings must be an array of at most " + MAX_PER_CLASS + " meetings");
        }
        return List.copyOf(meetings);
    }

    /**
     * @param mine a class's meetings
     * @param theirs another class's meetings
     * @return whether any meeting of one overlaps any of the other (a class without meetings conflicts with nothing)
     */
    public static boolean conflict(List<Meeting> mine, List<Meeting> theirs) {
        return mine.stream().anyMatch(meeting -> theirs.stream().anyMatch(meeting::overlaps));
    }

    /**
     * @param meetings meetings
     * @return them as a DynamoDB list of maps {@code {days, start, end}} (a class row's and a schedule entry's)
     */
    static AttributeValue attribute(List<Meeting> meetings) {
        return AttributeValue.fromL(meetings.stream().map(meeting -> AttributeValue.fromM(Map.of(
                "days", AttributeValue.fromS(meeting.days), "start", AttributeValue.fromS(meeting.start),
                "end", AttributeValue.fromS(meeting.end)))).toList());
    }

    /**
     * @param attribute what {@link #attribute} wrote, or null (a row from before classes had meetings)
     * @return the meetings; none for null
     */
    static List<Meeting> from(AttributeValue attribute) {
        return attribute == null ? List.of() : attribute.l().stream().map(AttributeValue::m)
                .map(m -> new Meeting(m.get("days").s(), m.get("start").s(), m.get("end").s())).toList();
    }
}
