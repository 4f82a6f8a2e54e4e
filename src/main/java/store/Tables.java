package store;

import static store.TableSpec.N;
import static store.TableSpec.S;

import java.util.List;

/** The names of the service's DynamoDB tables (behind a configurable prefix) and their key schemas. */
public record Tables(String prefix) {

    public String users() {
        return prefix + "users";
    }

    /** username → user id; a row per username makes "username taken" a conditional write. */
    public String usernames() {
        return prefix + "usernames";
    }

    /**
     * (issuer, subject) → user id: the users of an identity provider, linked by its {@code sub}; a row per subject
     * makes "one user per subject" a conditional write.
     */
    public String subjects() {
        return prefix + "subjects";
    }

    /** Named sequences for the ids of users and classes. */
    public String counters() {
        return prefix + "counters";
    }

    /** Class sections; {@code byInstructor} lists an instructor's classes, {@code catalog} lists them all. */
    public String classes() {
        return prefix + "classes";
    }

    /** "courseCode#section" → class id; makes "section exists" a conditional write. */
    public String sections() {
        return prefix + "sections";
    }

    /** One row per (class, enrolled student); {@code byStudent} lists a student's classes. */
    public String enrollments() {
        return prefix + "enrollments";
    }

    /** The dropped lists: one row per drop, newest last. */
    public String drops() {
        return prefix + "drops";
    }

    /** Switches set by the registrar, such as automatic enrollment. */
    public String settings() {
        return prefix + "settings";
    }

    /**
     * What registration asks of a student, one partition per student ({@code studentId}), so one Query reads all of
     * it: their registration window (entry {@code window}), their holds ({@code hold#<code>}), completed courses
     * ({@code completed#<courseCode>}), permits ({@code permit#<classId>}), credit maximum ({@code max-credits}) and
     * schedule ({@code schedule}); enrollment/Registrations draws each entry.
     */
    public String registration() {
        return prefix + "registration";
    }

    /**
     * Open seat offers: one row per (class, student) while the seat is held for them; {@code byStudent} lists a
     * student's offers, {@code byExpiry} lists every offer by its deadline (a single partition {@code open}: the
     * open offers are at most the seats of the classes in {@code offer} mode, so the partition stays small).
     */
    public String offers() {
        return prefix + "offers";
    }

    /** Events waiting for the broker; the sparse {@code pending} index holds only unpublished ones. */
    public String outbox() {
        return prefix + "outbox";
    }

    public List<TableSpec> specs() {
        return List.of(
                TableSpec.of(users()).hash("id", N),
                TableSpec.of(usernames()).hash("username", S),
                TableSpec.of(subjects()).hash("issuer", S).range("subject", S),
                TableSpec.of(counters()).hash("name", S),
                TableSpec.of(classes()).hash("id", N)
                        .index("byInstructor", "instructorId", N, "id", N)
                        .index("catalog", "catalog", S, "id", N),
                TableSpec.of(sections()).hash("section", S),
                TableSpec.of(enrollments()).hash("classId", N).range("studentId", N)
                        .index("byStudent", "studentId", N, "classId", N),
                TableSpec.of(drops()).hash("classId", N).range("dropId", S),
                TableSpec.of(settings()).hash("name", S),
                TableSpec.of(offers()).hash("classId", N).range("studentId", N)
                        .index("byStudent", "studentId", N, "classId", N)
                        .index("byExpiry", "open", S, "expiresAt", N),
                TableSpec.of(registration()).hash("studentId", N).range("entry", S),
                TableSpec.of(outbox()).hash("id", S).index("pending", "state", S, "createdAt", N));
    }
}
