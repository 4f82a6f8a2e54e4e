package auth;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import problem.ProblemException;

/**
 * The query of {@code GET /registrar/users}: exactly one of {@code subject} (the identity provider's {@code sub}) or
 * {@code username}.
 *
 * @param subject the {@code sub} looked for, or null
 * @param username the username looked for, or null
 */
public record UserQuery(String subject, String username) {

    /**
     * @param rawQuery the request's query string as sent (percent-encoded, as an HTML form or RFC 3986 writes it:
     *        {@code +} is a space, {@code %2B} a plus), or null
     * @return the query, with exactly one of its fields set
     * @throws ProblemException {@code 400 invalid-request} for neither or both, a repeated or unknown parameter, or
     *         an empty value
     */
    public static UserQuery parse(String rawQuery) {
        Map<String, List<String>> parameters = new QueryStringDecoder(rawQuery == null ? "" : rawQuery, false)
                .parameters();
        parameters.forEach((name, values) -> {
            if (!name.equals("subject") && !name.equals("username") || values.size() != 1 || values.get(0).isEmpty()) {
                throw ProblemException.invalid("the query takes one non-empty 'subject' or 'username', not '"
                        + name + "' given " + values.size() + " time(s)");
            }
        });
        if (parameters.size() != 1) {
            throw ProblemException.invalid("give exactly one of ?subject=… or ?username=…");
        }
        List<String> subject = parameters.get("subject");
        List<String> username = parameters.get("username");
        return new UserQuery(subject == null ? null : subject.get(0), username == null ? null : username.get(0));
    }
}
