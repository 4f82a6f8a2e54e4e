package problem;

import java.util.Map;

/**
 * A failure that the client caused or must know about, with the HTTP status and the stable {@code code} of
 * docs/api.md. Thrown by validation and data operations; turned into an RFC 9457 answer in one place
 * ({@link ProblemResponse}).
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;
    private final Map<String, Object> members;

    public ProblemException(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ProblemException(int status, String code, String detail, Map<String, String> headers) {
        this(status, code, detail, headers, Map.of());
    }

    /**
     * @param headers header fields of the answer (e.g. {@code Retry-After})
     * @param members extension members of the problem (RFC 9457, section 3.2), e.g. {@code opensAt}
     */
    public ProblemException(int status, String code, String detail, Map<String, String> headers,
                            Map<String, Object> members) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
        this.members = members;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** @return the problem's extension members besides {@code code}, empty for most problems */
    public Map<String, Object> members() {
        return members;
    }

    public static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-request", detail);
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(404, code, detail);
    }

    public static ProblemException conflict(String code, String detail) {
        return new ProblemException(409, code, detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", detail, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", detail);
    }
}
