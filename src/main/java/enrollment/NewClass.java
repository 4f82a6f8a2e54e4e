package enrollment;

import text.Names;

/** The body of {@code POST /registrar/classes}. */
public record NewClass(String department, String courseCode, Integer section, String title, Long instructorId,
                       Integer capacity) {

    public NewClass {
        department = Names.require("department", department, 16);
        courseCode = Names.require("courseCode", courseCode, 32);
        title = Names.require("title", title, 200);
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
}
