package enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import problem.ProblemException;

/**
 * The strong ETag of a class and the {@code If-Match} check of the registrar's writes. The tag is a digest of the
 * class's JSON answer, so it moves exactly when the answer does (RFC 9110, section 8.8.3): a PATCH that changes
 * nothing, or a seat taken and given back, leaves it as it was. The write itself is conditional on the row's
 * version read with the tag, so a stale tag can never win a race.
 */
public final class ClassValidators {

    private final Catalog catalog;

    public ClassValidators(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The ETag of the class's answer: 96 bits of the SHA-256 of its JSON, in hex, quoted. */
    public static String etag(CourseClass course) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(course).getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
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
