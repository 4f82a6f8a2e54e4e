package api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import store.Versioned;

/**
 * Conditional GET (RFC 9110 13.1): sets ETag, Last-Modified and Cache-Control from a {@link Versioned} and answers
 * whether the client's copy is still current: If-None-Match when present, otherwise If-Modified-Since
 * (an unparseable date is ignored). If-Modified-Since is compared with the stored Last-Modified, which is the one
 * sent unless it is not yet due (then a second before now is sent: lib.lua says why that never earns a stale 304).
 */
public final class Conditional {

    /** Exchange property: true when the answer is 304 Not Modified. */
    public static final String NOT_MODIFIED = "notModified";

    private Conditional() {
    }

    /**
     * Sets the validators and the body, and the {@link #NOT_MODIFIED} property.
     *
     * @param exchange the GET, its If-None-Match / If-Modified-Since headers read
     * @param view the current answer and its validators
     */
    public static void evaluate(Exchange exchange, Versioned view) {
        Message message = exchange.getMessage();
        String ifNoneMatch = message.getHeader("If-None-Match", String.class);
        String ifModifiedSince = message.getHeader("If-Modified-Since", String.class);
        message.setHeader("ETag", view.etag());
        message.setHeader("Last-Modified", Http.date(Instant.ofEpochSecond(view.lastModifiedSecond())));
        message.setHeader("Cache-Control", "private, no-cache");
        boolean notModified = ifNoneMatch != null
                ? matches(ifNoneMatch, view.etag())
                : ifModifiedSince != null && notEarlier(ifModifiedSince, view.storedModifiedSecond());
        exchange.setProperty(NOT_MODIFIED, notModified);
        message.setBody(view.body());
    }

    /** Weak comparison, as If-None-Match asks: a W/ prefix is ignored, "*" matches any current answer. */
    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.replaceFirst("^W/", "").equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean notEarlier(String httpDate, long lastModifiedSecond) {
        try {
            return Http.parseDate(httpDate) >= lastModifiedSecond;
        } catch (DateTimeParseException unparseable) {
            return false;
        }
    }
}
