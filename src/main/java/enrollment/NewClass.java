package enrollment;

/** The body of {@code POST /registrar/classes}. */
public record NewClass(String department, String courseCode, Integer section, String title, Long instructorId,
                       Integer capacity) {

    public NewClass {
        requireText("department", department, 16);
        requireText("courseCode", courseCode, 32);
        requireText("title", title, 200);
        if (section == null || section < 1) {
            throw new IllegalArgumentException("section must be a positive integer");
        }
        if (instructorId == null || instructorId < 1) {
            throw new IllegalArgumentException("instructorId must be a positive integer id");
        }
        if (capacity == null || capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
    }

    static void requireText(String field, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must be 1 to " + max + " printable characters");
        }
    }
}
