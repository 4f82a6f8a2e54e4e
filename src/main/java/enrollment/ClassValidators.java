package enrollment;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import problem.ProblemException;

/**
 * The strong ETag of a class and the {@code If-Match} check of the registrar's writes. The tag names the
 * DynamoDB row's version and the waiting list's length, the two things the class's JSON is made of; the
 * write itself is conditional on the version, so a stale tag can never win a race.
 */
public final class ClassValidators {

    private final Catalog catalog;

    public ClassValidators(Catalog catalog) {
        this.catalog = catalog;
    }

    public static String etag(CourseClass course) {
        return "\"" + course.version() + "." + course.waitlisted() + "\"";
    }

    /** Sets the ETag header of the class in the body. */
    public void tag(Exchange exchange) {
        exchange.getMessage().setHeader("ETag", etag(exchange.getMessage().getBody(CourseClass.class)));
    }

    /**
     * The version a conditional write must find, or null when the request has no {@code If-Match} (or
     * {@code *}, which any existing class matches). 412 when no listed tag is the class's current ETag.
     */
    public Long expectedVersion(@Header("classId") long classId, @Header("If-Match") String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        CourseClass current = catalog.get(classId);
        if (ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = etag(current);
        for (String candidate : ifMatch.split(",")) {
            if (candidate.trim().equals(tag)) {
                return current.version();
            }
        }
        throw new ProblemException(412, "precondition-failed", "class " + classId + " has changed since that ETag");
    }
}
