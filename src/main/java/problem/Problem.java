package problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An RFC 9457 problem details answer, with the stable {@code code} extension member of docs/api.md and, for the problems
 * that carry more (RFC 9457, section 3.2: extension members), those members after it, e.g. {@code opensAt} of
 * {@code registration-not-open}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code,
                      @JsonIgnore Map<String, Object> members) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String detail) {
        return of(status, code, detail, Map.of());
    }

    /**
     * @param members extension members written after {@code code} (names that are not RFC 9457's own)
     * @return the problem with the status's reason phrase as its title
     */
    public static Problem of(int status, String code, String detail, Map<String, Object> members) {
        return new Problem("about:blank", title(status), status, detail, code, members);
    }

    /** @return the extension members, written as members of the problem object itself */
    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return members;
    }

    /** The reason phrase of RFC 9110 for the statuses this service answers with. */
    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Bad Request";
        };
    }
}
