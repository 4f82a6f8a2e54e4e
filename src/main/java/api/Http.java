package api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.DataFormat;
import problem.ProblemException;

/** The processors every API flow starts and ends with: check the JSON body, read a path id, answer with JSON. */
public final class Http {

    public static final String JSON = "application/json; charset=utf-8";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The headers an answer keeps; the request's are dropped (names compared ignoring case, as HTTP does). */
    private static final Set<String> ANSWER_HEADERS = caseInsensitive("ETag", "Last-Modified", "Location",
            "Cache-Control");
    /** The headers a 304 keeps: the validators. */
    private static final Set<String> NOT_MODIFIED_HEADERS = caseInsensitive("ETag", "Last-Modified", "Cache-Control");
    /** ASCII decimal digits only: no sign, no other script's digits. */
    private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]{1,19}");
    /** Marshals answers, outside any route: it needs no start, its mapper is given. Its unmarshal type is unused. */
    private static final DataFormat ANSWERS = Json.format(Object.class);

    private Http() {
    }

    /**
     * Checks that the request's body may be unmarshalled as JSON ({@link Json#format}): 415
     * {@code unsupported-media-type} when it is not declared {@code application/json} or is declared in a charset
     * other than UTF-8, 400 {@code invalid-request} when its bytes are not UTF-8. Replaces the body with its text,
     * or with null when it is empty or only whitespace: a flow whose body may be left out unmarshals only a body
     * that is not null, any other has it refused by the unmarshal step (400, "the request needs a JSON body").
     */
    public static Processor utf8Json() {
        return exchange -> {
            String body = text(exchange.getMessage(), JSON_ONLY);
            exchange.getMessage().setBody(body == null || body.isBlank() ? null : body);
        };
    }

    /**
     * Replaces the body with the request's text, read as UTF-8: a CSV file ({@code text/csv}, RFC 4180) or JSON, the
     * caller tells which from the Content-Type; 415 {@code unsupported-media-type} for any other media type or
     * another charset, 400 when it is not UTF-8.
     */
    public static Processor readText() {
        return exchange -> exchange.getMessage().setBody(text(exchange.getMessage(), JSON_OR_CSV));
    }

    /**
     * Answers with the given status and the body as JSON: text as it is (an answer written already), anything else
     * marshalled by {@link Json#format}, before any header is changed.
     */
    public static Processor reply(int status) {
        return exchange -> {
            var out = exchange.getMessage();
            ByteBuffer body = out.getBody() instanceof String text ? body(text) : json(exchange, out.getBody());
            keepOnly(out, ANSWER_HEADERS);
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            out.setHeader(Exchange.CONTENT_TYPE, JSON);
            out.setBody(body);
        };
    }

    /** 304 Not Modified: no body, the validators set by {@link Conditional} kept. */
    public static Processor notModified() {
        return exchange -> {
            var out = exchange.getMessage();
            keepOnly(out, NOT_MODIFIED_HEADERS);
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            out.setBody(null);
        };
    }

    /**
     * Drops every header but {@code kept}. Message.removeHeaders with exclude patterns would compile each pattern
     * as a regular expression for every header of every answer (issue 11: 6% of a read's CPU).
     */
    private static void keepOnly(Message out, Set<String> kept) {
        out.getHeaders().keySet().removeIf(name -> !kept.contains(name));
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return Collections.unmodifiableSet(set);
    }

    /** Replaces the path parameter's header with its value as a positive 64-bit id, or answers 400. */
    public static Processor pathId(String name) {
        return exchange -> exchange.getMessage().setHeader(name, pathId(exchange, name));
    }

    /** An HTTP-date (RFC 9110, section 5.6.7: IMF-fixdate, always two digits for the day), as Date sends it. */
    public static String date(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    /**
     * The seconds since the epoch of an HTTP-date in the IMF-fixdate form this service sends.
     *
     * @throws java.time.format.DateTimeParseException when it is not one
     */
    public static long parseDate(String httpDate) {
        return ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    }

    /**
     * An answer body as UTF-8 bytes in a ByteBuffer: platform-http sends it with a Content-Length (a String goes
     * chunked) and writes it at once, while a byte[] is turned into an InputStream that a worker thread pumps into
     * the answer (issue 11: a second worker hop for every answer with a body).
     */
    public static ByteBuffer body(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An answer body as {@link #body(String)} makes one, marshalled by {@link Json#format}. Marshalled here rather
     * than by a {@code marshal} step, which would copy the message with its headers and, stream caching being on,
     * leave a stream cache that would be copied once more into a buffer.
     *
     * @param exchange the exchange answered
     * @param value what the answer says
     * @return the JSON as UTF-8 bytes, wrapped where Jackson wrote them
     * @throws Exception when {@code value} cannot be written as JSON
     */
    static ByteBuffer json(Exchange exchange, Object value) throws Exception {
        Written written = new Written();
        ANSWERS.marshal(exchange, value, written);
        return written.bytes();
    }

    /** A byte stream whose bytes are handed on where they lie, where toByteArray would copy them. */
    private static final class Written extends ByteArrayOutputStream {

        /** @return the bytes written, in a buffer whose capacity is their length (Vert.x allocates the capacity) */
        ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count).slice();
        }
    }

    /**
     * The one reading of an id (docs/api.md: plain ASCII decimal digits, a positive 64-bit integer). Long.parseLong
     * alone would take "+5" and non-ASCII digits such as "５" or "٥" for 5.
     */
    private static long pathId(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value != null && ASCII_DIGITS.matcher(value).matches()) {
            try {
                long id = Long.parseLong(value);
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException tooLarge) {
                // past 2^63 - 1: answered below, like any other bad id
            }
        }
        throw ProblemException.invalid("'" + name + "' must be a positive integer id (ASCII digits)");
    }

    /**
     * The request body as text. A body is JSON only when declared {@code application/json} (docs/api.md "Errors"; RFC
     * 9110, section 8.3: without a Content-Type it is {@code application/octet-stream}): any media type other than
     * {@code accepted}, or none, is 415 and nothing is read. JSON between systems is UTF-8 (RFC 8259, section 8.1),
     * and so is a CSV file here: a {@code charset} parameter naming anything else, known or not, is 415; bytes that
     * are not UTF-8 are 400.
     *
     * @param accepted the media types read (lower case, without parameters)
     */
    private static String text(Message in, List<String> accepted) {
        byte[] body = in.getBody(byte[].class);
        // a form body has been read into headers by the HTTP consumer already: its Content-Length still tells
        Long declaredLength = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if ((body == null || body.length == 0) && (declaredLength == null || declaredLength == 0)) {
            return null;
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !accepted.contains(contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            throw new ProblemException(415, "unsupported-media-type", "the body must be sent as "
                    + "Content-Type: " + String.join(" or ", accepted) + ", not "
                    + (contentType == null ? "without one" : contentType));
        }
        String declared = charset(contentType);
        if (declared != null && !declared.equalsIgnoreCase("utf-8") && !declared.equalsIgnoreCase("utf8")) {
            throw new ProblemException(415, "unsupported-media-type", "request bodies are read as UTF-8 only");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.invalid("the body is not UTF-8");
        }
    }

    /** Whether a Content-Type's media type, its parameters aside, is {@code application/json} (case-insensitive). */
    /** What a JSON body may be declared as. */
    private static final List<String> JSON_ONLY = List.of("application/json");
    /** What a file of rows may come as: CSV, or the same rows as JSON. */
    private static final List<String> JSON_OR_CSV = List.of("application/json", "text/csv");

    /** The charset parameter of a Content-Type (RFC 9110, section 8.3), unquoted, or null when there is none. */
    private static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                return parameter.substring(equals + 1).trim().replace("\"", "");
            }
        }
        return null;
    }
}
