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

    public ProblemException(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ProblemException(int status, String code, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
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
